import Foundation
import Torch
import Visage

/// Each network's inference in fp32, bf16 and int8 (``PrecisionNetwork``) side by side, as faces/s and ratios,
/// with the PyTorch mirrors in the same run (fp32, evaluation mode, no_grad, the faster of NCHW and
/// channels-last): the bridge students' (`Anchors/bridge_student.py`) and MobileFaceNet's
/// (`Anchors/recognition_step.py`); `mobilefacenet-ms1m` and `dlib-resnet` have none.
///
/// Speed does not depend on the weights, so networks are built fresh (``RooflineBenchmark/Network``) and int8 is
/// calibrated on random faces with no accuracy check; accuracy is measured on real faces by
/// `visage eval --precision` (docs/experiments/precision.md).
public struct PrecisionBenchmark {
    public var networks: [RooflineBenchmark.Network]
    public var batchSizes = [1, 256]
    public var threads = Runtime.threads
    public var rounds = 3
    public var secondsPerRound = 1.0

    public init(networks: [RooflineBenchmark.Network]) {
        self.networks = networks
    }

    /// One network at one batch.
    public struct Row: Sendable, Codable, Equatable {
        public var name: String
        public var batch: Int
        /// Faces per second by precision.
        public var fp32: Double
        public var bf16: Double
        public var int8: Double
        /// The PyTorch mirror's faces/s (students only).
        public var pytorch: Double?
        /// At the largest batch: by precision, the operators that took the most of a profiled pass.
        public var hotspots: [String: [Hotspot]] = [:]
    }

    /// One operator's share of a profiled forward pass (libtorch's profiler, top-level operators; the rest of
    /// the pass, Swift and the shim's own kernels, is `outside operators`).
    public struct Hotspot: Sendable, Codable, Equatable {
        public var name: String
        public var share: Double
    }

    /// Operators listed per network and precision.
    public var hotspotCount = 4

    /// Times every network at every batch, showing progress on standard error; with `python` and `scripts` (the
    /// anchors' folder), also the PyTorch mirrors.
    public func run(python: String? = nil, scripts: String? = nil) throws -> [Row] {
        guard !networks.isEmpty, !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 > 0 }), threads > 0, rounds > 0
        else { throw DataError.invalidArgument("precision bench: networks, positive batch sizes, threads and rounds needed") }
        let previousThreads = Runtime.threads
        Runtime.threads = threads
        defer { Runtime.threads = previousThreads }
        let progress = ProgressBar("precision", total: networks.count * 3, unit: "network")
        defer { progress.finish() }
        var rows: [Row] = []
        for network in networks {
            let model = try network.make()
            network.prepare(model)
            var speeds: [InferencePrecision: [Double]] = [:]
            var hotspots: [String: [Hotspot]] = [:]
            for precision in InferencePrecision.allCases {
                progress.status = "\(network.name) \(precision)"
                let runner: Module = precision == .fp32 ? model : try PrecisionNetwork(
                    model, precision: precision, calibration: network.input(batch: 16), tolerance: 0)
                speeds[precision] = batchSizes.map { batch in
                    let faces = network.input(batch: batch)
                    let ms = BenchmarkTiming.medianMilliseconds(secondsPerRound: secondsPerRound, rounds: rounds) {
                        _ = withoutGrad { runner(faces) }
                    }
                    return Double(batch) * 1000 / ms
                }
                hotspots[precision.rawValue] = try profile(runner, faces: network.input(batch: batchSizes.max()!))
                progress.advance()
            }
            for (index, batch) in batchSizes.enumerated() {
                rows.append(Row(name: network.name, batch: batch, fp32: speeds[.fp32]![index],
                                bf16: speeds[.bf16]![index], int8: speeds[.int8]![index],
                                hotspots: batch == batchSizes.max()! ? hotspots : [:]))
            }
        }
        if let python, let scripts, networks.contains(where: { $0.architecture == .mobileFaceNet }) {
            progress.status = "PyTorch MobileFaceNet"
            // The recognition benchmark's anchor, with a token training step: only its inference is read.
            var anchor = RecognitionBenchmark()
            (anchor.threads, anchor.trainBatch, anchor.classes, anchor.rounds) = (threads, 2, 10, rounds)
            for batch in batchSizes {
                anchor.inferenceBatch = batch
                let timings = try anchor.measurePython(python: python, script: scripts + "/recognition_step.py",
                                                       keepingFreedMemory: Runtime.keepsFreedMemory)
                let ms = min(timings.inference, timings.inferenceChannelsLast ?? timings.inference)
                for index in rows.indices where rows[index].name == "mobilefacenet" && rows[index].batch == batch {
                    rows[index].pytorch = Double(batch) * 1000 / ms
                }
            }
        }
        let students = networks.filter { $0.name.hasPrefix("S-") }
        if let python, let scripts, !students.isEmpty {
            let script = scripts + "/bridge_student.py"
            progress.status = "PyTorch mirror"
            let speeds = try BridgeStudentMirror.facesPerSecond(
                python: python, script: script, threads: threads, sides: students.map(\.inputSize),
                batches: batchSizes, rounds: rounds, seconds: secondsPerRound)
            for index in rows.indices {
                guard let student = students.first(where: { $0.name == rows[index].name }),
                    let speed = speeds["\(student.inputSize)x\(rows[index].batch)"] else { continue }
                rows[index].pytorch = max(speed.nchw, speed.channelsLast)
            }
        }
        return rows
    }

    /// The operators taking the most of two profiled passes of `runner` on `faces`, and the time outside them.
    func profile(_ runner: Module, faces: Tensor) throws -> [Hotspot] {
        _ = withoutGrad { runner(faces) }
        let start = DispatchTime.now().uptimeNanoseconds
        let recorded = try OperatorProfile.record { for _ in 0..<2 { _ = withoutGrad { runner(faces) } } }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
        var byName: [String: Double] = [:]
        for call in recorded.calls { byName[call.name, default: 0] += call.microseconds }
        let outside = max(wall - byName.values.reduce(0, +), 0)
        return (byName.map { Hotspot(name: $0.key, share: $0.value / wall) }
            + [Hotspot(name: "outside operators", share: outside / wall)])
            .sorted { $0.share > $1.share }.prefix(hotspotCount).map { $0 }
    }

    /// The rows as a Markdown table: faces/s per precision, ratios to fp32 and to PyTorch.
    public func report(_ rows: [Row]) -> String {
        var lines = [
            "Inference by precision, \(threads) thread(s); faces/s (ratio to Visage fp32; int8 and bf16 over PyTorch fp32 "
                + "where the network has a mirror). Quantized engine: \(QuantizedEngine.current).",
            "",
            "| network | batch | fp32 | bf16 | int8 | PyTorch fp32 | fp32 / PyTorch | bf16 / PyTorch | int8 / PyTorch |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        func f(_ value: Double) -> String { String(format: value >= 100 ? "%.0f" : "%.1f", value) }
        func r(_ value: Double) -> String { String(format: "%.2f×", value) }
        for row in rows {
            let mirror = row.pytorch.map { [f($0), r(row.fp32 / $0), r(row.bf16 / $0), r(row.int8 / $0)] }
                ?? ["–", "–", "–", "–"]
            lines.append("| \(row.name) | \(row.batch) | \(f(row.fp32)) | \(f(row.bf16)) (\(r(row.bf16 / row.fp32))) | "
                + "\(f(row.int8)) (\(r(row.int8 / row.fp32))) | " + mirror.joined(separator: " | ") + " |")
        }
        let profiled = rows.filter { !$0.hotspots.isEmpty }
        if !profiled.isEmpty {
            lines += ["", "Where the time goes at the largest batch (share of two profiled passes; libtorch's "
                      + "profiler, top-level operators; `outside operators`: Swift and the shim's own kernels):", ""]
            for row in profiled {
                for precision in InferencePrecision.allCases {
                    guard let spots = row.hotspots[precision.rawValue] else { continue }
                    let listed = spots.map { String(format: "%@ %.0f %%", $0.name, 100 * $0.share) }
                    lines.append("- \(row.name) \(precision) @\(row.batch): " + listed.joined(separator: ", "))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
