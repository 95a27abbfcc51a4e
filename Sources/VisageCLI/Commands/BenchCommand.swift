import ArgumentParser
import Foundation
import Visage

/// `visage bench …`: benchmarks that compare Visage with a named anchor side by side in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each printed side by side with its Python anchor on the same machine.",
        subcommands: [BindingBenchCommand.self, LoaderBenchCommand.self, BackbonesBenchCommand.self,
                      RecognitionBenchCommand.self]
    )
}

/// Options shared by benchmarks that run a Python anchor.
struct PythonAnchorOptions: ParsableArguments {
    @Option(help: "Python with Debian's python3-torch (the anchor).")
    var python = "/usr/bin/python3"

    @Option(help: "Directory holding the anchor scripts.")
    var scripts = "Benchmarks"
}

/// `visage bench binding`: the Swift binding's overhead against Python on the same libtorch.
struct BindingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binding",
        abstract: "Small conv net training step and inference: Swift vs Python on the same libtorch."
    )

    @OptionGroup var anchor: PythonAnchorOptions

    @Option(help: "Threads for both sides.")
    var threads = 2

    @Option(help: "Batch size.")
    var batch = 32

    @Option(help: "Iterations per timed round.")
    var iterations = 30

    func run() throws {
        var benchmark = BindingOverheadBenchmark()
        benchmark.threads = threads
        benchmark.batch = batch
        benchmark.iterations = iterations
        let swift = try benchmark.measureSwift()
        let python = try benchmark.measurePython(python: anchor.python,
                                                 script: anchor.scripts + "/binding_overhead.py")
        print(benchmark.report(swift: swift, python: python))
    }
}

/// `visage bench loader`: aligned faces per second into training batches, Swift's loader against Python's.
struct LoaderBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Decode + flip + normalize throughput: Swift BatchLoader vs PIL/NumPy/torch on the same files."
    )

    static let sharedFaces = "/work/shared/data/lfw/aligned"

    @OptionGroup var anchor: PythonAnchorOptions

    @Option(help: ArgumentHelp("ImageFolder of aligned 112×112 faces; default \(sharedFaces) when present, "
                               + "else synthetic faces written to a temporary folder."))
    var root: String?

    @Option(help: "Images per round (the first in folder order).")
    var images = 4096

    @Option(help: "Batch size.")
    var batch = 128

    @Option(help: "Swift worker threads and Python DataLoader worker processes.")
    var workers = 2

    @Option(help: "Timed rounds per loader (the median is reported).")
    var rounds = 3

    func validate() throws {
        guard images > 0, batch > 0, workers > 0, rounds > 0 else {
            throw ValidationError("--images, --batch, --workers and --rounds must be positive")
        }
    }

    func run() throws {
        let manager = FileManager.default
        var temporary: URL?
        defer { if let temporary { try? manager.removeItem(at: temporary) } }
        let folder: URL
        if let root {
            folder = URL(fileURLWithPath: root)
        } else if manager.fileExists(atPath: Self.sharedFaces) {
            folder = URL(fileURLWithPath: Self.sharedFaces)
        } else {
            let made = manager.temporaryDirectory.appendingPathComponent("visage-bench-loader-\(UUID().uuidString)")
            temporary = made
            try LoaderThroughputBenchmark.writeSyntheticFolder(to: made, count: images, progress: true)
            folder = made
        }
        var benchmark = LoaderThroughputBenchmark(root: folder)
        benchmark.images = images
        benchmark.batch = batch
        benchmark.workers = workers
        benchmark.rounds = rounds
        let result = try benchmark.measure(python: anchor.python, script: anchor.scripts + "/loader_throughput.py")
        print(benchmark.report(result))
    }
}

/// `visage bench backbones`: inference speed of every face backbone, by layout and batch-norm folding.
struct BackbonesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backbones",
        abstract: "Backbone params, FLOPs and faces/s: NCHW vs channels-last, batch norm kept vs folded."
    )

    @Option(parsing: .upToNextOption, help: "Backbones to measure (default: all).")
    var architectures: [String] = []

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batches: [Int] = [1, 64]

    @Option(help: "Threads (default: the available cores).")
    var threads: Int?

    @Option(help: "Timed rounds per measurement (the median is reported).")
    var rounds = 3

    @Option(help: "Target seconds per timed round.")
    var seconds = 1.0

    func validate() throws {
        guard batches.allSatisfy({ $0 > 0 }), rounds > 0, seconds > 0 else {
            throw ValidationError("batches, rounds and seconds must be positive")
        }
    }

    func run() throws {
        var benchmark = BackboneBenchmark()
        benchmark.threads = threads
        if !architectures.isEmpty {
            benchmark.architectures = try architectures.map { try BackboneArchitecture(parsing: $0) }
        }
        benchmark.batchSizes = batches
        benchmark.rounds = rounds
        benchmark.secondsPerRound = seconds
        let rows = try benchmark.run()
        print(benchmark.report(rows))
    }
}

/// `visage bench recognition`: MobileFaceNet + ArcFace training and inference, Swift vs Python on one libtorch.
struct RecognitionBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognition",
        abstract: "MobileFaceNet + ArcFace SGD step and batch inference images/s: Swift vs Python on the same libtorch."
    )

    @OptionGroup var anchor: PythonAnchorOptions

    @Option(help: "Threads for both sides.")
    var threads = 2

    @Option(help: "Images per training step.")
    var trainBatch = 64

    @Option(help: "Images per inference call.")
    var inferenceBatch = 256

    @Option(help: "Identities of the ArcFace head.")
    var classes = 1000

    @Option(help: "Iterations per timed round.")
    var iterations = 3

    @Option(help: "Timed rounds (the median is reported).")
    var rounds = 3

    @Option(help: "Untimed iterations before the rounds.")
    var warmup = 2

    func validate() throws {
        guard threads > 0, trainBatch > 0, inferenceBatch > 0, classes > 0, iterations > 0, rounds > 0,
              warmup >= 0
        else {
            throw ValidationError("threads, batches, classes, iterations and rounds must be positive, warmup ≥ 0")
        }
    }

    func run() throws {
        var benchmark = RecognitionBenchmark()
        benchmark.threads = threads
        benchmark.trainBatch = trainBatch
        benchmark.inferenceBatch = inferenceBatch
        benchmark.classes = classes
        benchmark.iterations = iterations
        benchmark.rounds = rounds
        benchmark.warmup = warmup
        let swift = try benchmark.measureSwift()
        let python = try benchmark.measurePython(python: anchor.python,
                                                 script: anchor.scripts + "/recognition_step.py")
        print(benchmark.report(swift: swift, python: python))
    }
}
