import ArgumentParser
import Foundation
import Visage
import VisageBenchmarks

/// `visage bench precision`: each network in fp32, bf16 and int8, with the bridge students' PyTorch mirror.
struct PrecisionBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Inference in fp32, bf16 and int8 side by side (faces/s, ratios), beside the PyTorch mirrors.",
        discussion: """
            Each network runs BN-folded on random faces (speed does not depend on the values); bf16 and int8 are \
            the --precision paths of embed and eval (traced operators replayed on libtorch's bfloat16 and oneDNN \
            quantized kernels), int8 calibrated on random faces without its accuracy check. Accuracy on real faces: \
            `visage eval --model M --precision int8 --calibration DIR`.
            """)

    @OptionGroup var anchor: PythonAnchorOptions

    @Option(parsing: .upToNextOption, help: "Networks: S-<side> (bridge student), dlib-resnet, or backbone names.")
    var networks: [String] = ["S-16", "S-32", "mobilefacenet", "mobilefacenet-ms1m", "dlib-resnet"]

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batches: [Int] = [1, 256]

    @Option(help: "Threads for libtorch and the PyTorch mirror (default: VISAGE_THREADS or the cores).")
    var threads: Int?

    @Option(help: "Timed rounds per measurement (the median is reported).")
    var rounds = 3

    @Option(help: "Target seconds per timed round.")
    var seconds = 1.0

    @Flag(help: "Skip the PyTorch mirrors.")
    var noPython = false

    func validate() throws {
        guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }), rounds > 0, seconds > 0, (threads ?? 1) > 0 else {
            throw ValidationError("batches, rounds, seconds and threads must be positive")
        }
    }

    func run() throws {
        var benchmark = PrecisionBenchmark(networks: try networks.map { try RooflineBenchmark.Network(parsing: $0) })
        benchmark.batchSizes = batches
        if let threads { benchmark.threads = threads }
        benchmark.rounds = rounds
        benchmark.secondsPerRound = seconds
        let rows = try benchmark.run(python: noPython ? nil : anchor.python, scripts: noPython ? nil : anchor.scripts)
        print(benchmark.report(rows))
    }
}
