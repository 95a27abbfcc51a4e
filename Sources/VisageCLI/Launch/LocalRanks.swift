import Foundation

/// `--nproc N`: runs N ranks of this very command on this host, each a child process told its rank and the
/// file store to meet at, and waits for them.
///
/// A rank that fails makes the others fail too (a dead rank's connections break at once; a hung one's
/// collectives time out), so after the first failure the launcher waits the group's timeout and a little more
/// for the others, then stops any still running; it reports how every rank ended.
struct LocalRanks {
    /// This command's arguments without the launcher's own (`--nproc`).
    var arguments: [String]
    var count: Int
    /// Where the ranks meet: a folder for their file store, emptied first.
    var rendezvous: URL
    var timeout: Double

    /// How the ranks ended, when one did not succeed.
    struct Failure: Error, CustomStringConvertible {
        var endings: [String]
        var description: String {
            "training with \(endings.count) local ranks failed: " + endings.joined(separator: "; ")
                + ". Continue from the last checkpoint with --resume"
        }
    }

    /// `CommandLine.arguments` after the executable, less `--nproc N` / `--nproc=N`.
    static func argumentsWithoutLauncher(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments.dropFirst() {
            if skipNext {
                skipNext = false
            } else if argument == "--nproc" {
                skipNext = true
            } else if !argument.hasPrefix("--nproc=") {
                result.append(argument)
            }
        }
        return result
    }

    func run() throws {
        try? FileManager.default.removeItem(at: rendezvous)
        try FileManager.default.createDirectory(at: rendezvous, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rendezvous) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var environment = ProcessInfo.processInfo.environment
        environment[Self.launcherVariable] = "\(getpid())"
        if environment["VISAGE_THREADS"] == nil {
            environment["VISAGE_THREADS"] = "\(max(1, ProcessInfo.processInfo.activeProcessorCount / count))"
        }
        var ranks: [Process] = []
        defer { for process in ranks where process.isRunning { process.terminate() } }
        for rank in 0..<count {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments + [
                "--rank", "\(rank)", "--world-size", "\(count)", "--rendezvous", rendezvous.path,
                "--gloo-host", "127.0.0.1", "--timeout", "\(timeout)",
            ]
            process.environment = environment
            try process.run()
            ranks.append(process)
        }
        var deadline: Date?
        var stopped = Set<Int>()
        while ranks.contains(where: \.isRunning) {
            if deadline == nil, ranks.contains(where: { !$0.isRunning && !Self.succeeded($0) }) {
                deadline = Date().addingTimeInterval(timeout + 10)
            }
            if let deadline, Date() > deadline {
                for (rank, process) in ranks.enumerated() where process.isRunning {
                    stopped.insert(rank)
                    process.terminate()
                }
            }
            usleep(100_000)
        }
        guard ranks.allSatisfy(Self.succeeded) else {
            throw Failure(endings: ranks.enumerated().map { rank, process in
                if stopped.contains(rank) { return "rank \(rank) was stopped by the launcher" }
                switch process.terminationReason {
                case .uncaughtSignal: return "rank \(rank) was killed by signal \(process.terminationStatus)"
                default:
                    return process.terminationStatus == 0 ? "rank \(rank) finished"
                        : "rank \(rank) exited with status \(process.terminationStatus)"
                }
            })
        }
    }

    /// The environment variable that tells a rank its launcher's process id.
    static let launcherVariable = "VISAGE_LAUNCHER_PID"

    /// In a rank this launcher started: stops the process as soon as the launcher is gone.
    ///
    /// The ranks run in process groups of their own, so a Ctrl-C or a kill of the launcher never reaches them;
    /// without this they would train on, unwatched, writing into the run folder. A rank whose parent is no longer
    /// the launcher (it was re-parented) writes why and exits at once; its checkpoints are atomic, so nothing
    /// written is lost. Ranks started by hand (`--rank`, no launcher) are left alone.
    static func stopWithLauncher(rank: Int) {
        guard let text = ProcessInfo.processInfo.environment[launcherVariable], let launcher = pid_t(text) else { return }
        Thread.detachNewThread {
            while getppid() == launcher { usleep(250_000) }
            FileHandle.standardError.write(Data(
                "rank \(rank): its launcher (process \(launcher)) has ended; stopping this rank\n".utf8))
            _exit(1)
        }
    }

    private static func succeeded(_ process: Process) -> Bool {
        process.terminationReason == .exit && process.terminationStatus == 0
    }
}
