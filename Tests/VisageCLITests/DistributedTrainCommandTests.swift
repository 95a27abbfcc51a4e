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

    /// Process ids of the running (not zombie) processes whose environment names `launcher` as their launcher.
    static func ranks(of launcher: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environment.split(separator: 0).contains(Data("VISAGE_LAUNCHER_PID=\(launcher)".utf8)),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let state = stat.split(separator: ")").last?.split(separator: " ").first
            else { return false }
            return state != "Z"
        }
    }

    @Test("killing the --nproc launcher stops its ranks (they run in process groups of their own)")
    func launcherKilled() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("out.txt")
        let launcher = try Self.start(Self.arguments(out: folder.appendingPathComponent("M"), steps: 100_000)
            + ["--nproc", "2"], log: log)
        var started = Date()
        while Self.ranks(of: launcher.processIdentifier).count < 2 && Date().timeIntervalSince(started) < 60 {
            usleep(50_000)
        }
        let ranks = Self.ranks(of: launcher.processIdentifier)
        #expect(ranks.count == 2, "the launcher's ranks did not start")
        kill(launcher.processIdentifier, SIGKILL)
        launcher.waitUntilExit()
        started = Date()
        while !Self.ranks(of: launcher.processIdentifier).isEmpty && Date().timeIntervalSince(started) < 20 { usleep(50_000) }
        let left = Self.ranks(of: launcher.processIdentifier)
        for pid in left { kill(pid, SIGKILL) }
        #expect(left.isEmpty, "ranks \(left) outlived their launcher")
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("its launcher (process \(launcher.processIdentifier)) has ended"), "\(output)")
    }

    @Test("--nproc 2 --partial-fc: each rank checkpoints its share of the centers; a resume needs 2 ranks")
    func partialFC() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("M"), log = folder.appendingPathComponent("out.txt")
        let arguments = Self.arguments(out: run, steps: 4) + ["--partial-fc"]
        let process = try Self.start(arguments + ["--nproc", "2"], log: log)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("with Partial FC (sample rate 1)"), "\(output)")
        let checkpoint = run.appendingPathComponent("checkpoints/latest")
        let files = try FileManager.default.contentsOfDirectory(atPath: checkpoint.path)
        #expect(Set(["head.rank-0-of-2.safetensors", "head.rank-1-of-2.safetensors",
                     "sharded_optimizer.rank-1-of-2.safetensors"]).isSubset(of: files), "\(files)")
        #expect(!files.contains("head.safetensors"))

        let message = try #require(CLI.failure(arguments + ["--resume"]))
        #expect(message.contains("on 1 rank") && message.contains("split over 2 ranks"), "\(message)")
        let resumed = try Self.start(arguments + ["--resume", "--nproc", "2"], log: log)
        resumed.waitUntilExit()
        let resumedOutput = try String(contentsOf: log, encoding: .utf8)
        #expect(resumed.terminationStatus == 0, "\(resumedOutput)")
    }

    static let folderVariable = "VISAGE_DISTRIBUTED_TRAIN_TEST_FOLDER"

    /// When the test killed rank 1 (set on the killing thread, read after both ranks ended).
    final class KillTime: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Date?
        var date: Date? {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// `visage train` as rank `rank` of 2 in the folder the parent named, run in this (child) process.
    static func trainAsRank(_ rank: Int) -> String? {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment[folderVariable]!)
        setenv("VISAGE_THREADS", "1", 1)
        return CLI.failure(arguments(out: folder.appendingPathComponent("M"), steps: 16) + [
            "--world-size", "2", "--rendezvous", folder.appendingPathComponent("meet").path, "--gloo-host",
            "127.0.0.1", "--timeout", "15", "--rank", "\(rank)",
        ])
    }

    @Test("killing rank 1 stops rank 0 with an error naming it within the timeout; --resume finishes the run")
    func killedRankAndResume() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        setenv(Self.folderVariable, folder.path, 1)
        let run = folder.appendingPathComponent("M"), pidFile = folder.appendingPathComponent("rank1.pid")
        // Kill rank 1 once the first checkpoint is written, from a thread of its own (the children's awaits may
        // hold every thread of the test's executor).
        let checkpoint = run.appendingPathComponent("checkpoints/step-00000004")
        let killed = KillTime()
        Thread.detachNewThread {
            let started = Date()
            while !(CLI.exists(checkpoint) && CLI.exists(pidFile)) && Date().timeIntervalSince(started) < 60 {
                usleep(10_000)
            }
            if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text),
               CLI.exists(checkpoint) {
                kill(pid, SIGKILL)
                killed.date = Date()
            }
        }
        // Rank 0 exits 7 when its error names it, 3 for any other ending.
        async let rank0 = #expect(processExitsWith: .exitCode(7)) {
            guard let message = DistributedTrainCommandTests.trainAsRank(0), message.contains("rank 0 of 2:") else {
                exit(3)
            }
            exit(7)
        }
        async let rank1 = #expect(processExitsWith: .signal(SIGKILL)) {
            let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment[DistributedTrainCommandTests.folderVariable]!)
            try "\(getpid())".write(to: folder.appendingPathComponent("rank1.pid"), atomically: true, encoding: .utf8)
            _ = DistributedTrainCommandTests.trainAsRank(1)
        }
        _ = await rank0
        let stopped = Date()
        _ = await rank1
        let killDate = try #require(killed.date, "rank 1 was not killed after the first checkpoint")
        let seconds = stopped.timeIntervalSince(killDate)
        #expect(seconds < 15, "rank 0 stopped \(seconds) s after the kill; the timeout is 15 s")
        let latest = try FileManager.default.destinationOfSymbolicLink(
            atPath: run.appendingPathComponent("checkpoints/latest").path)
        let checkpointed = Int(latest.dropFirst("step-".count)) ?? 16
        #expect(checkpointed < 16, "the kill should land mid-run")

        // Resumed by one process (1 divides the batch of 4): the run finishes from the last checkpoint.
        try CLI.run(Self.arguments(out: run, steps: 16) + ["--resume"])
        #expect(try Self.loggedSteps(run) == [16])
        #expect(CLI.exists(run.appendingPathComponent("model.safetensors")))
        let state = try JSONSerialization.jsonObject(
            with: Data(contentsOf: run.appendingPathComponent("checkpoints/latest/trainer.json"))) as? [String: Any]
        #expect(state?["step"] as? Int == 16)
    }

    @Test("a number of processes that does not divide the batch, or an incomplete group, is refused",
          arguments: [
              (["--nproc", "3"], "divide --batch-size"),
              (["--nproc", "2", "--rank", "0"], "--nproc starts the ranks itself"),
              (["--rank", "0", "--world-size", "2"], "--master ADDR:PORT or --rendezvous"),
              (["--rank", "2", "--world-size", "2", "--master", "127.0.0.1:29500"], "--rank 2 is not in"),
              (["--rank", "0", "--world-size", "2", "--master", "localhost"], "ADDR:PORT"),
              (["--sample-rate", "0.5"], "--sample-rate needs --partial-fc"),
              (["--partial-fc", "--loss", "softmax"], "Partial FC trains ArcFace or CosFace"),
              (["--partial-fc", "--sample-rate", "1.5"], "sample rate must be in (0, 1]"),
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
