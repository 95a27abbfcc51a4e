import ArgumentParser
import Foundation
import SyntheticFaces
import Visage
import VisageBenchmarks

/// `visage bench …`: benchmarks that compare Visage with a named anchor side by side in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each printed side by side with its Python anchor on the same machine.",
        subcommands: [BindingBenchCommand.self, PrecisionBenchCommand.self, LoaderBenchCommand.self, BackbonesBenchCommand.self,
                      RecognitionBenchCommand.self, TransformBenchCommand.self, EnginesBenchCommand.self,
                      GalleryStoreBenchCommand.self, GalleryBenchCommand.self, RooflineBenchCommand.self]
    )
}

/// Options shared by benchmarks that run a Python anchor.
struct PythonAnchorOptions: ParsableArguments {
    @Option(help: "Python with Debian's python3-torch (the anchor).")
    var python = "/usr/bin/python3"

    @Option(help: "Directory holding the anchor scripts.")
    var scripts = "Sources/VisageBenchmarks/Anchors"
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
        abstract: "MobileFaceNet + ArcFace SGD step and batch inference images/s: Swift vs Python on the same libtorch.",
        discussion: """
            Python runs twice: as installed (the goals' anchor) and with glibc keeping freed memory \
            (MALLOC_MMAP_MAX_=0), as Visage's runtime does, to show what that setting alone brings.
            """
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
        let script = anchor.scripts + "/recognition_step.py"
        let python = try benchmark.measurePython(python: anchor.python, script: script)
        let tuned = try benchmark.measurePython(python: anchor.python, script: script, keepingFreedMemory: true)
        print(benchmark.report(swift: swift, python: python, pythonKeepingFreedMemory: tuned))
    }
}

/// `visage bench transform`: features per second through R³AN and FC transformers vs extraction by IResNet-50.
struct TransformBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Features/s: feature transformers vs IResNet-50 extraction from faces, and an engine from photos.",
        discussion: """
            R³AN's speed claim (about 10× faster than extracting features with a ResNet-101): each transformer \
            maps --batch-size random features per call as `visage transform` runs it; IResNet-50 (batch norm \
            folded, as the library's inference) extracts as many features from random 112×112 faces; the table \
            gives features/s and the ratio to IResNet-50. Without --model: freshly initialized R³AN and FC \
            transformers of equal size for each --dimensions pair (speed does not depend on the weights). No \
            Python anchor: the anchor is IResNet-50, timed in the same run on the same threads. IResNet-50 does \
            about a face per second per core, so IResNet-50 alone takes about (rounds + 1) × batch ÷ its \
            faces/s (about a minute on 2 idle cores with the defaults). With --engine and --photos, a second \
            anchor: the engine re-extracting the templates from the photos (detection, landmarks, crops and \
            embedding of every face, as `visage embed --photos --every-face`), the gallery owner's alternative to \
            transforming stored templates.
            """)

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp(
        "Trained transformers (.safetensors) to time, each R³AN-family one with the FC baseline of its size; "
            + "replaces --dimensions."))
    var model: [String] = []

    @Option(name: .long, help: "With --photos: the engine that re-extracts templates from photos (`visage engines`).")
    var engine: String?

    @Option(name: .long, parsing: .upToNextOption, help: "With --engine: photos or folders of photos.")
    var photos: [String] = []

    @Option(name: .long, help: "With --photos: times to double each photo before detection.")
    var upsample = 1

    @Option(name: .long, parsing: .upToNextOption, help: "Fresh transformers to time, as SOURCE:TARGET dimensions.")
    var dimensions: [String] = ["512:128", "128:512"]

    @Option(name: .long, help: "Features per call (transformers and IResNet-50 alike).")
    var batchSize = 32

    @Option(name: .long, help: "Timed calls per network (the median is reported), after one untimed call.")
    var rounds = 3

    @Option(name: .long, help: "libtorch threads.")
    var threads = 2

    func validate() throws {
        guard batchSize > 0, rounds > 0, threads > 0 else {
            throw ValidationError("--batch-size, --rounds and --threads must be positive")
        }
        guard (engine == nil) == photos.isEmpty else { throw ValidationError("give --engine and --photos together") }
        _ = try dimensionPairs()
    }

    /// The --dimensions entries as (source, target) pairs.
    func dimensionPairs() throws -> [(source: Int, target: Int)] {
        try dimensions.map { entry in
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let source = Int(parts[0]), let target = Int(parts[1]), source > 0, target > 0
            else { throw ValidationError("--dimensions entries are SOURCE:TARGET positive integers, got \(entry)") }
            return (source, target)
        }
    }

    func run() throws {
        var transformers: [(name: String, transformer: FeatureTransformer)] = []
        if !model.isEmpty {
            for path in model {
                let loaded = try FeatureTransformer.load(from: URL(fileURLWithPath: path))
                let (source, target) = (loaded.sourceDimension, loaded.targetDimension)
                transformers.append(("\(loaded.architecture) \(source)→\(target)", loaded))
                if case .r3an = loaded.network {
                    transformers.append(
                        FeatureTransformBenchmark.equalSizeFC(sourceDimension: source, targetDimension: target))
                }
            }
        } else {
            for (source, target) in try dimensionPairs() {
                transformers += [
                    FeatureTransformBenchmark.freshR3AN(sourceDimension: source, targetDimension: target),
                    FeatureTransformBenchmark.equalSizeFC(sourceDimension: source, targetDimension: target),
                ]
            }
        }
        var benchmark = FeatureTransformBenchmark(transformers: transformers)
        benchmark.batch = batchSize
        benchmark.rounds = rounds
        benchmark.threads = threads
        if let engine {
            benchmark.photoEngine = (try FaceModel.load(engine), try FaceFinder.load(upsample: upsample),
                                     try PhotoList(photos))
        }
        print(benchmark.report(try benchmark.run()))
    }
}

/// `visage bench engines`: dlib's face pipeline in Visage against dlib itself on the same photos.
struct EnginesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engines",
        abstract: "dlib-resnet descriptors, MMOD detection and photo → template: Visage vs dlib (dlib-bin) side by side.",
        discussion: """
            The photos are the centre 250×250 squares of the images in --photos; the chips are the dlib chips of \
            the faces Visage finds in them. dlib runs in the reference venv (scripts/reference-venv.sh).
            """)

    @Option(help: "Python with dlib-bin, numpy and pillow (scripts/reference-venv.sh makes it).")
    var python = ".venv-reference/bin/python"

    @Option(help: "The anchor script.")
    var script = "Sources/VisageBenchmarks/Anchors/dlib_engines.py"

    @Option(help: "Folder of photos with faces (e.g. ../shared/data/detection).")
    var photos: String

    @Option(help: "Threads for Visage.")
    var threads = 2

    @Option(help: "Chips per batched descriptor call.")
    var batch = 64

    @Option(help: "Seconds each row is timed for.")
    var seconds = 3.0

    func validate() throws {
        guard threads > 0, batch > 0, seconds > 0 else { throw ValidationError("threads, batch and seconds must be positive") }
    }

    func run() throws {
        var benchmark = EngineBenchmark(photos: try EngineBenchmark.photos(from: URL(fileURLWithPath: photos)))
        benchmark.batch = batch
        benchmark.seconds = seconds
        benchmark.threads = threads
        let finder = try FaceFinder.load(upsample: 0)
        let chips = try benchmark.chips(finder: finder)
        let visage = try benchmark.measureSwift(resnet: try FaceModel.load(EngineCatalogue.dlibResNet.name),
                                                finder: finder, chips: chips)
        let dlib = try benchmark.measureDlib(python: python, script: script, chips: chips, weights: EngineWeights.folder())
        print(benchmark.report(visage: visage, dlib: dlib, faces: chips.count))
    }
}
