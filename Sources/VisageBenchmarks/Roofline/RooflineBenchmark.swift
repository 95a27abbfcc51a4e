import Foundation
import Torch
import Visage

/// The roofline table: the machine's fp32 peak (``MachinePeak``), then for each network Visage serves its FLOPs
/// and bytes moved per face, measured GFLOP/s at each batch, the fraction of the peak and where the time goes by
/// layer kind; and the bridge student's faces/s beside its PyTorch mirror (`Anchors/bridge_student.py`), in one
/// run on this machine.
///
/// Networks run as Visage deploys them (``BackboneArchitecture/preparedForInference(_:)``), without gradients,
/// with fresh weights (speed does not depend on them) except `dlib-resnet`, which loads the engine. The per-layer
/// profile comes from libtorch's profiler (``OperatorProfile``) over forward passes at the largest batch: the
/// time of each top-level operator, by ``LayerKind``; bytes moved are its tensor inputs read plus the memory it
/// was handed (``LayerProfile``), divided by the batch: weights count once per pass, so small batches move more
/// per face.
public struct RooflineBenchmark {
    /// A network of the table.
    public struct Network: Sendable, Hashable {
        /// `S-16`, `mobilefacenet`, `dlib-resnet`, …
        public var name: String
        /// Input side.
        public var inputSize: Int
        /// The backbone, or nil for the `dlib-resnet` engine.
        public var architecture: BackboneArchitecture?

        /// The network called `name`: `S-<side>` (the bridge student at that side, 128-D), `dlib-resnet`, or a
        /// backbone name (``BackboneArchitecture/names``) at its native input with its default embedding size.
        public init(parsing name: String) throws {
            let key = name.trimmingCharacters(in: .whitespaces)
            self.name = key
            if key.uppercased().hasPrefix("S-") {
                guard let side = Int(key.dropFirst(2)), BackboneArchitecture.bridgeStudent.inputSizes.contains(side)
                else {
                    throw DataError.invalidArgument("student '\(name)': S-<side> with side in "
                        + "\(BackboneArchitecture.bridgeStudent.inputSizes)")
                }
                (inputSize, architecture) = (side, .bridgeStudent)
                self.name = "S-\(side)"
            } else if key == EngineCatalogue.dlibResNet.name {
                (inputSize, architecture) = (150, nil)
            } else {
                let architecture = try BackboneArchitecture(parsing: key)
                (inputSize, self.architecture) = (architecture.nativeInputSize, architecture)
            }
        }

        /// The network as built (fresh weights, training mode), or the loaded engine.
        func make() throws -> Module {
            guard let architecture else {
                let engine = try FaceEngines.load(EngineCatalogue.dlibResNet)
                guard engine.inputSize == inputSize else {
                    throw DataError.invalidArgument("dlib-resnet takes \(engine.inputSize)×\(engine.inputSize)")
                }
                return engine.backbone
            }
            Runtime.seed(0)
            return architecture.make(embeddingSize: architecture.defaultEmbeddingSize)
        }

        /// Prepares `model` for inference in place: BN folded and channels-last where the architecture prefers
        /// it, evaluation mode for the engine.
        func prepare(_ model: Module) {
            if let architecture { architecture.preparedForInference(model) } else { model.eval() }
        }

        /// `batch` random faces in the layout the prepared network expects.
        func input(batch: Int) -> Tensor {
            let faces = Tensor.randn([batch, 3, inputSize, inputSize])
            return architecture?.inferenceInput(faces) ?? faces.contiguous(.channelsLast)
        }
    }

    /// The networks Visage serves: the student at 16 and 32, MobileFaceNet, dlib-resnet, the MS1M MobileFaceNet
    /// and IResNet-50.
    public static let servedNetworks = ["S-16", "S-32", "mobilefacenet", "dlib-resnet", "mobilefacenet-ms1m", "iresnet50"]

    /// The networks to measure.
    public var networks: [Network]
    /// Batch sizes; the largest is cut per network to what fits ``flopsPerCall``.
    public var batchSizes = [1, 256]
    /// Most FLOPs one timed call may take: a network's largest batch is the biggest of ``batchSizes`` under it
    /// (at least 1), so IResNet-50 does not take minutes per call.
    public var flopsPerCall = 50e9
    /// libtorch threads (and the FMA loop's).
    public var threads = Runtime.threads
    /// Median over this many timed rounds.
    public var rounds = 3
    /// Target length of one timed round; each round runs at least one forward pass.
    public var secondsPerRound = 1.0
    /// Forward passes the profiler records per network.
    public var profiledPasses = 2
    /// Side of the square sgemm.
    public var sgemmSize = 1536
    /// Rounds of the FMA loop and the sgemm (at least ``rounds``); the best counts.
    public var peakRounds = 10

    /// The benchmark of `networks`.
    public init(networks: [Network]) {
        self.networks = networks
    }

    /// One network's figures.
    public struct Row: Sendable, Codable, Equatable {
        /// Faces per second and GFLOP/s at one batch.
        public struct Speed: Sendable, Codable, Equatable {
            public var batch: Int
            public var facesPerSecond: Double
            public var gflops: Double
        }

        public var name: String
        public var inputSize: Int
        public var parameters: Int
        /// FLOPs per face (2 × conv/FC multiply-accumulates, ``ModelProfile``).
        public var flopsPerFace: Int
        /// Bytes read plus written per face at ``profiledBatch`` (``LayerProfile``).
        public var bytesPerFace: Double
        /// The batch the profile and ``bytesPerFace`` come from (the largest timed).
        public var profiledBatch: Int
        /// Speeds in batch order.
        public var speeds: [Speed]
        /// GFLOP/s at the largest batch over the machine's FMA peak.
        public var peakFraction: Double
        /// The profiled time by layer kind.
        public var profile: LayerProfile

        /// FLOPs per byte moved: the arithmetic intensity.
        public var intensity: Double { Double(flopsPerFace) / bytesPerFace }
    }

    /// The bridge student beside its PyTorch mirror at one side and batch.
    public struct MirrorRow: Sendable, Codable, Equatable {
        public var name: String
        public var batch: Int
        public var visage: Double
        public var pytorchNCHW: Double
        public var pytorchChannelsLast: Double
        /// Visage over the faster PyTorch layout.
        public var ratio: Double { visage / max(pytorchNCHW, pytorchChannelsLast) }
    }

    /// Everything one run measured.
    public struct Result: Sendable, Codable, Equatable {
        public var machine: MachinePeak
        public var rows: [Row]
        public var mirror: [MirrorRow]
        /// Whether Visage and the PyTorch mirror ran with freed memory kept (``Runtime/keepsFreedMemory``).
        public var keepsFreedMemory: Bool
    }

    /// The batches timed for a network of `flopsPerFace`: ``batchSizes`` with the largest cut to ``flopsPerCall``.
    func batches(flopsPerFace: Int) -> [Int] {
        let fitting = max(1, Int(flopsPerCall / Double(max(1, flopsPerFace))))
        return Array(Set(batchSizes.map { min($0, fitting) })).sorted()
    }

    /// Measures the machine and every network, showing progress on standard error; with `python` and `script`,
    /// also runs the student's PyTorch mirror at the students' sides and batches.
    public func run(python: String? = nil, script: String? = nil) throws -> Result {
        guard !networks.isEmpty, !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 > 0 }), threads > 0, rounds > 0
        else {
            throw DataError.invalidArgument("roofline: networks, positive batch sizes, threads and rounds needed")
        }
        if let script, !FileManager.default.fileExists(atPath: script) {
            throw PythonAnchor.Failure(description: "Python anchor script not found at \(script); run from the "
                                       + "repository root")
        }
        let previousThreads = Runtime.threads
        Runtime.threads = threads
        defer { Runtime.threads = previousThreads }
        let progress = ProgressBar("roofline", total: networks.count + 1, unit: "step")
        defer { progress.finish() }
        progress.status = "machine peak"
        let machine = try MachinePeak.measure(threads: threads, seconds: min(secondsPerRound, 0.1),
                                              rounds: max(rounds, peakRounds), sgemmSize: sgemmSize)
        progress.advance()
        var rows: [Row] = []
        for network in networks {
            progress.status = network.name
            rows.append(try measure(network, peakGFLOPs: machine.fmaGFLOPs))
            progress.advance()
        }
        var mirror: [MirrorRow] = []
        let students = rows.filter { $0.name.hasPrefix("S-") }
        if let python, let script, !students.isEmpty {
            progress.status = "PyTorch mirror"
            let sides = students.map(\.inputSize)
            let studentBatches = Array(Set(students.flatMap { $0.speeds.map(\.batch) })).sorted()
            let pytorch = try BridgeStudentMirror.facesPerSecond(
                python: python, script: script, threads: threads, sides: sides, batches: studentBatches,
                rounds: rounds, seconds: secondsPerRound)
            for row in students {
                for speed in row.speeds {
                    guard let mirrored = pytorch["\(row.inputSize)x\(speed.batch)"] else { continue }
                    mirror.append(MirrorRow(
                        name: row.name, batch: speed.batch, visage: speed.facesPerSecond,
                        pytorchNCHW: mirrored.nchw, pytorchChannelsLast: mirrored.channelsLast))
                }
            }
        }
        return Result(machine: machine, rows: rows, mirror: mirror, keepsFreedMemory: Runtime.keepsFreedMemory)
    }

    /// One network's row.
    func measure(_ network: Network, peakGFLOPs: Double) throws -> Row {
        let model = try network.make()
        let profileBeforeFolding = try ModelProfile.measure(model, inputSize: network.inputSize)
        let (parameters, flops) = (profileBeforeFolding.parameters, profileBeforeFolding.flops)
        network.prepare(model)
        var speeds: [Row.Speed] = []
        var profile: LayerProfile?
        let timed = batches(flopsPerFace: flops)
        for batch in timed {
            let input = network.input(batch: batch)
            let milliseconds = try withTorchErrors {
                withoutGrad {
                    BenchmarkTiming.medianMilliseconds(secondsPerRound: secondsPerRound, rounds: rounds) {
                        _ = model(input)
                    }
                }
            }
            let facesPerSecond = Double(batch) * 1000 / milliseconds
            speeds.append(Row.Speed(batch: batch, facesPerSecond: facesPerSecond,
                                    gflops: facesPerSecond * Double(flops) / 1e9))
            if batch == timed.last {
                let recorded = try OperatorProfile.record {
                    try withTorchErrors { withoutGrad { for _ in 0..<profiledPasses { _ = model(input) } } }
                }
                profile = LayerProfile(recorded, passes: profiledPasses)
            }
        }
        let layers = profile ?? LayerProfile(OperatorProfile(calls: []))
        let largest = timed.last ?? 1
        return Row(name: network.name, inputSize: network.inputSize, parameters: parameters, flopsPerFace: flops,
                   bytesPerFace: (layers.bytesRead + layers.bytesWritten) / Double(largest), profiledBatch: largest,
                   speeds: speeds, peakFraction: (speeds.last?.gflops ?? 0) / peakGFLOPs, profile: layers)
    }

    /// The result as Markdown: the machine line, the roofline table, the student beside its PyTorch mirror.
    public func report(_ result: Result) -> String {
        let machine = result.machine
        let vector = machine.fmaLanes == 16 ? "AVX-512" : machine.fmaLanes == 8 ? "AVX2/FMA" : "scalar"
        var lines = [
            "Machine: \(machine.cpu); flags \(machine.vectorFlags.joined(separator: " ")); \(machine.threads) "
                + "thread\(machine.threads == 1 ? "" : "s")",
            String(format: "fp32 peak (FMA loop, %@ %d lanes × %d accumulators, best round): %.1f GFLOP/s; ", vector,
                   machine.fmaLanes, FMAPeak.accumulators, machine.fmaGFLOPs)
                + String(format: "sgemm %d² (libtorch matmul, best round): %.1f GFLOP/s = %.0f %% of peak", machine.sgemmSize,
                         machine.sgemmGFLOPs, 100 * machine.sgemmGFLOPs / machine.fmaGFLOPs),
            "",
            "FLOPs = 2 × conv/FC multiply-accumulates per face; bytes = tensor inputs read + memory handed to each "
                + "top-level op (libtorch profiler) per face at the profiled batch B; layer shares = profiled time "
                + "of top-level ops by kind at batch B; networks BN-folded, channels-last where preferred"
                + (result.keepsFreedMemory ? "; freed memory kept" : ""),
            "",
        ]
        let kinds = LayerKind.allCases
        let first = result.rows.compactMap { $0.speeds.first?.batch }.min() ?? 1
        lines.append("| network | input | params | MFLOPs/face | MB/face @B | FLOP/byte | GFLOP/s @\(first) | B | "
                     + "GFLOP/s @B | % peak @B | " + kinds.map(\.rawValue).joined(separator: " | ") + " |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|" + kinds.map { _ in "---|" }.joined())
        for row in result.rows {
            let shares = row.profile.shares
            let small = row.speeds.first { $0.batch == first }.map { String(format: "%.1f", $0.gflops) } ?? "–"
            lines.append("| \(row.name) | \(row.inputSize)×\(row.inputSize) | \(row.parameters) | "
                + String(format: "%.1f | %.2f | %.1f | ", Double(row.flopsPerFace) / 1e6, row.bytesPerFace / 1e6,
                         row.intensity)
                + "\(small) | \(row.profiledBatch) | " + String(format: "%.1f | %.1f | ", row.speeds.last?.gflops ?? 0,
                                                                 100 * row.peakFraction)
                + kinds.map { String(format: "%.0f %%", 100 * (shares[$0] ?? 0)) }.joined(separator: " | ") + " |")
        }
        if !result.mirror.isEmpty {
            lines += [
                "",
                "Bridge student, Visage vs its PyTorch mirror (Anchors/bridge_student.py, eval, no_grad, same "
                    + "libtorch and threads" + (result.keepsFreedMemory ? ", glibc keeping freed memory" : "") + ")",
                "",
                "| student | batch | Visage faces/s | PyTorch NCHW | PyTorch channels-last | Visage/PyTorch (faster) |",
                "|---|---|---|---|---|---|",
            ]
            for row in result.mirror {
                lines.append("| \(row.name) | \(row.batch) | " + String(format: "%.1f | %.1f | %.1f | %.2f× |",
                    row.visage, row.pytorchNCHW, row.pytorchChannelsLast, row.ratio))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `result` as `roofline.json` and `roofline.md` into `folder` (created if missing), each atomically.
    public func write(_ result: Result, to folder: URL) throws -> (json: URL, markdown: URL) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = folder.appendingPathComponent("roofline.json")
        let markdown = folder.appendingPathComponent("roofline.md")
        try AtomicFile.write(try encoder.encode(result), to: json)
        try AtomicFile.write(Data((report(result) + "\n").utf8), to: markdown)
        return (json, markdown)
    }
}
