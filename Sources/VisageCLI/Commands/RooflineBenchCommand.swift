import ArgumentParser
import Foundation
import Visage
import VisageBenchmarks

/// `visage bench roofline`: the machine's fp32 peak, each served network's FLOPs, bytes, GFLOP/s, fraction of
/// peak and per-layer profile, and the bridge student beside its PyTorch mirror.
struct RooflineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roofline",
        abstract: "Roofline table: fp32 peak and sgemm, per network GFLOP/s, % of peak, bytes and layer profile.",
        discussion: """
            The peak is a measured loop of fused multiply-adds in the CPU's widest vectors (AVX-512F, else \
            AVX2/FMA) on --threads threads; sgemm is libtorch's matmul of two square fp32 matrices (OpenBLAS keeps \
            its own thread count: set OPENBLAS_NUM_THREADS to --threads). Each network \
            runs BN-folded (channels-last where preferred) on random faces; its largest batch is cut so one call \
            stays under --gflop-per-call. The layer profile and bytes moved come from libtorch's profiler at that \
            batch. The bridge students (S-<side>) are also timed in PyTorch (Anchors/bridge_student.py, eval, \
            no_grad) in the same run, with the same allocator setting, unless --no-python.
            """)

    @OptionGroup var anchor: PythonAnchorOptions

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Networks: S-<side> (bridge student), dlib-resnet, or backbone names (default: "
            + RooflineBenchmark.servedNetworks.joined(separator: " ") + ")."))
    var networks: [String] = RooflineBenchmark.servedNetworks

    @Option(parsing: .upToNextOption, help: "Batch sizes; the largest is cut per network by --gflop-per-call.")
    var batches: [Int] = [1, 256]

    @Option(help: "Most GFLOP one timed call may take.")
    var gflopPerCall = 50.0

    @Option(help: "Threads for libtorch, the FMA loop and the PyTorch mirror (default: VISAGE_THREADS or the cores).")
    var threads: Int?

    @Option(help: "Timed rounds per measurement (the median is reported).")
    var rounds = 3

    @Option(help: "Target seconds per timed round.")
    var seconds = 1.0

    @Flag(help: "Skip the bridge student's PyTorch mirror.")
    var noPython = false

    @Option(help: "Folder to write roofline.json and roofline.md to.")
    var out: String?

    func validate() throws {
        guard batches.allSatisfy({ $0 > 0 }), !batches.isEmpty, rounds > 0, seconds > 0, gflopPerCall > 0,
              (threads ?? 1) > 0
        else {
            throw ValidationError("batches, rounds, seconds, --gflop-per-call and threads must be positive")
        }
    }

    func run() throws {
        var benchmark = RooflineBenchmark(networks: try networks.map { try RooflineBenchmark.Network(parsing: $0) })
        benchmark.batchSizes = batches
        benchmark.flopsPerCall = gflopPerCall * 1e9
        if let threads { benchmark.threads = threads }
        benchmark.rounds = rounds
        benchmark.secondsPerRound = seconds
        let result = try benchmark.run(python: noPython ? nil : anchor.python,
                                       script: noPython ? nil : anchor.scripts + "/bridge_student.py")
        print(benchmark.report(result))
        if let out {
            let written = try benchmark.write(result, to: URL(fileURLWithPath: out))
            print("wrote \(written.json.path), \(written.markdown.path)")
        }
    }
}
