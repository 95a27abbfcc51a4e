import Foundation
import Testing

/// `visage train` with several processes, run as the real `visage` executable (the ranks are child processes).
@Suite("visage train with several processes", .serialized)
struct DistributedTrainCommandTests {
    /// The `visage` executable SwiftPM built beside this test bundle.
    static func executable() throws -> URL {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("visage")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "the visage executable is not at \(url.path): build the package (swift build) first")
        return url
    }

    /// `steps` steps of the 16-pixel student on 4 synthetic people, batches of 4, a checkpoint every 4 steps.
    static func arguments(out: URL, steps: Int) -> [String] {
        ["train", "--synthetic-identities", "4", "--synthetic-images", "4", "--arch", "bridge-student",
         "--input-size", "16", "--embedding-size", "8", "--steps", "\(steps)", "--batch-size", "4",
         "--checkpoint-every", "4", "--workers", "1", "--out", out.path]
    }

    /// Starts `visage` with `arguments`, its standard error going to `log`.
    static func start(_ arguments: [String], log: URL) throws -> Process {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let output = FileHandle(forWritingAtPath: log.path)
        process.standardOutput = output
        process.standardError = output
        var environment = ProcessInfo.processInfo.environment
        environment["VISAGE_THREADS"] = "1"
        process.environment = environment
        try process.run()
        return process
    }

    /// The train lines' steps in the run's log.
    static func loggedSteps(_ run: URL) throws -> [Int] {
        try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["kind"] as? String == "train" }.compactMap { $0["step"] as? Int }
    }

    @Test("--nproc 2 trains with two ranks; rank 0 writes the log (world_size 2) and the model")
    func twoLocalRanks() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M"), log = folder.appendingPathComponent("out.txt")
        let process = try Self.start(Self.arguments(out: run, steps: 4) + ["--nproc", "2"], log: log)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("with 2 processes"), "\(output)")
        #expect(CLI.exists(run.appendingPathComponent("model.safetensors")))
        #expect(!CLI.exists(run.appendingPathComponent("rendezvous")), "the launcher removes its file store")
        let last = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
            .split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("\"world_size\": 2"), "\(last)")
    }

    @Test("killing rank 1 stops rank 0 with an error naming it; --resume on --nproc 2 finishes the run")
    func killedRankAndResume() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M"), rendezvous = folder.appendingPathComponent("meet")
        let group = ["--world-size", "2", "--rendezvous", rendezvous.path, "--gloo-host", "127.0.0.1",
                     "--timeout", "15"]
        let logs = [folder.appendingPathComponent("rank0.txt"), folder.appendingPathComponent("rank1.txt")]
        let ranks = try (0..<2).map {
            try Self.start(Self.arguments(out: run, steps: 16) + group + ["--rank", "\($0)"], log: logs[$0])
        }
        defer { for rank in ranks where rank.isRunning { rank.terminate() } }
        // Kill rank 1 once the first checkpoint is written.
        let checkpoint = run.appendingPathComponent("checkpoints/step-00000004")
        let waitStarted = Date()
        while !CLI.exists(checkpoint) && Date().timeIntervalSince(waitStarted) < 60 && ranks[0].isRunning {
            usleep(20_000)
        }
        let startOutput = try String(contentsOf: logs[0], encoding: .utf8)
        try #require(CLI.exists(checkpoint), "\(startOutput)")
        kill(ranks[1].processIdentifier, SIGKILL)
        let killed = Date()
        ranks[0].waitUntilExit()
        let seconds = Date().timeIntervalSince(killed)
        let message = try String(contentsOf: logs[0], encoding: .utf8)
        #expect(ranks[0].terminationStatus != 0)
        #expect(seconds < 15, "rank 0 stopped \(seconds) s after the kill; the timeout is 15 s")
        #expect(message.contains("rank 0 of 2:"), "\(message)")
        let latest = try FileManager.default.destinationOfSymbolicLink(
            atPath: run.appendingPathComponent("checkpoints/latest").path)
        let checkpointed = Int(latest.dropFirst("step-".count)) ?? 16
        #expect(checkpointed < 16, "the kill should land mid-run")

        let resume = folder.appendingPathComponent("resume.txt")
        let resumed = try Self.start(Self.arguments(out: run, steps: 16) + ["--nproc", "2", "--resume"], log: resume)
        resumed.waitUntilExit()
        let resumeOutput = try String(contentsOf: resume, encoding: .utf8)
        #expect(resumed.terminationStatus == 0, "\(resumeOutput)")
        #expect(resumeOutput.contains("trained steps \(checkpointed)–16"), "\(resumeOutput)")
        #expect(try Self.loggedSteps(run) == [16])
        #expect(CLI.exists(run.appendingPathComponent("model.safetensors")))
    }

    @Test("a number of processes that does not divide the batch, or an incomplete group, is refused",
          arguments: [
              (["--nproc", "3"], "divide --batch-size"),
              (["--nproc", "2", "--rank", "0"], "--nproc starts the ranks itself"),
              (["--rank", "0", "--world-size", "2"], "--master ADDR:PORT or --rendezvous"),
              (["--rank", "2", "--world-size", "2", "--master", "127.0.0.1:29500"], "--rank 2 is not in"),
              (["--rank", "0", "--world-size", "2", "--master", "localhost"], "ADDR:PORT"),
          ])
    func refusals(extra: [String], expected: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M")
        let message = try #require(CLI.failure(Self.arguments(out: run, steps: 4) + extra))
        #expect(message.contains(expected), "\(message)")
        #expect(!CLI.exists(run))
    }
}
