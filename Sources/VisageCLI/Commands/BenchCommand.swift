import ArgumentParser
import Visage

/// `visage bench …`: benchmarks that compare Visage with a named anchor side by side in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each printed side by side with its Python anchor on the same machine.",
        subcommands: [BindingBenchCommand.self, BackbonesBenchCommand.self]
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
