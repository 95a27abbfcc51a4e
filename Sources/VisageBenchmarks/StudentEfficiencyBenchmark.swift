import Foundation
import Torch
import Visage

/// The efficiency table of bridge distillation (Ge et al., Tables I–II): for the student at each resolution and
/// a reference network at its own input size, the parameters, model file bytes, FLOPs per face, inference
/// memory and faces per second at each batch size, measured in one run on this machine.
///
/// Networks run as Visage deploys them (``BackboneArchitecture/preparedForInference(_:)``: evaluation mode,
/// batch normalization folded, channels-last where the architecture prefers it), without gradients.
/// **Memory** is measured, not estimated: the most tensor memory one forward pass at the largest batch holds at
/// once, as libtorch's allocator counts it (``Runtime/peakAllocatedBytes(during:)``), divided by the batch: the
/// activation memory per face. (The process's resident-set peak cannot show it: Visage keeps freed memory for
/// reuse, so after the timed rounds a forward pass grows nothing.) The weights' memory is the model file's size.
public struct StudentEfficiencyBenchmark {
    /// Student input sides.
    public var resolutions = [96, 64, 32, 16]
    /// The student network.
    public var student = BackboneArchitecture.bridgeStudent
    /// The student's embedding size.
    public var studentEmbeddingSize = 128
    /// The network to compare with, at its native input size.
    public var reference: BackboneArchitecture? = .iresnet(depth: 50)
    /// Batch sizes to time.
    public var batchSizes = [1, 256]
    /// Median over this many timed rounds.
    public var rounds = 3
    /// Target length of one timed round; each round runs at least one forward pass.
    public var secondsPerRound = 1.0

    /// The default table: the student at 96, 64, 32, 16 next to IResNet-50 at 112, batches 1 and 256.
    public init() {}

    /// The figures of one network at one input size.
    public struct Row: Sendable {
        /// The network's name with its input: `S-16`, `iresnet50 112`.
        public var name: String
        /// Input side.
        public var inputSize: Int
        /// Parameters and FLOPs per face.
        public var profile: ModelProfile
        /// Bytes of the model file (float32 safetensors with its metadata).
        public var fileBytes: Int
        /// Activation bytes per face at the largest batch.
        public var activationBytesPerFace: Double
        /// Faces per second at each batch size (median round).
        public var facesPerSecond: [Int: Double]
    }

    /// Measures every network, showing progress on standard error.
    public func run() throws -> [Row] {
        var cases: [(String, BackboneArchitecture, Int, Int)] = resolutions.map {
            ("S-\($0)", student, $0, studentEmbeddingSize)
        }
        if let reference {
            cases.append(("\(reference) \(reference.nativeInputSize)", reference, reference.nativeInputSize,
                          reference.defaultEmbeddingSize))
        }
        let progress = ProgressBar("efficiency", total: cases.count, unit: "model")
        defer { progress.finish() }
        var rows: [Row] = []
        for (name, architecture, size, embedding) in cases {
            progress.status = name
            Runtime.seed(0)
            let model = architecture.make(embeddingSize: embedding)
            let profile = try ModelProfile.measure(model, inputSize: size)
            let file = FileManager.default.temporaryDirectory
                .appendingPathComponent("visage-efficiency-\(getpid())-\(name.replacingOccurrences(of: " ", with: "-")).safetensors")
            defer { try? FileManager.default.removeItem(at: file) }
            try FaceModel(backbone: model, architecture: architecture, embeddingSize: embedding, inputSize: size)
                .save(to: file)
            let fileBytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            architecture.preparedForInference(model)
            var speeds: [Int: Double] = [:]
            var memory = 0.0
            for batch in batchSizes {
                let input = architecture.inferenceInput(Tensor.randn([batch, 3, size, size]))
                let milliseconds = try withTorchErrors { measure { _ = model(input) } }
                speeds[batch] = Double(batch) * 1000 / milliseconds
                if batch == batchSizes.max() {
                    memory = Double(try Runtime.peakAllocatedBytes { withoutGrad { _ = model(input) } }) / Double(batch)
                }
            }
            rows.append(Row(name: name, inputSize: size, profile: profile, fileBytes: fileBytes,
                            activationBytesPerFace: memory, facesPerSecond: speeds))
            progress.advance()
        }
        return rows
    }

    /// Median milliseconds per call of `body` without gradients, rounds sized from one warm-up call.
    private func measure(_ body: () -> Void) -> Double {
        withoutGrad { BenchmarkTiming.medianMilliseconds(secondsPerRound: secondsPerRound, rounds: rounds, body) }
    }

    /// The figures as a Markdown table.
    public func report(_ rows: [Row]) -> String {
        var lines = [
            "FLOPs = 2 × conv/FC multiply-accumulates per face; memory = weights (model file) + activations per "
                + "face (peak tensor memory of a forward pass at batch \(batchSizes.max() ?? 0) / batch); faces/s median of "
                + "\(rounds) rounds, BN folded, channels-last where the architecture prefers it, \(Runtime.threads) threads",
            "",
            "| model | input | params | file bytes | MFLOPs/face | weights MB | activations MB/face | "
                + batchSizes.map { "faces/s @\($0)" }.joined(separator: " | ") + " |",
            "|---|---|---|---|---|---|---|" + batchSizes.map { _ in "---|" }.joined(),
        ]
        for row in rows {
            let activations = String(format: "%.3f", row.activationBytesPerFace / 1e6)
            lines.append("| \(row.name) | \(row.inputSize)×\(row.inputSize) | \(row.profile.parameters) | "
                + "\(row.fileBytes) | " + String(format: "%.2f", Double(row.profile.flops) / 1e6) + " | "
                + String(format: "%.3f", Double(row.fileBytes) / 1e6) + " | \(activations) | "
                + batchSizes.map { String(format: "%.1f", row.facesPerSecond[$0] ?? .nan) }.joined(separator: " | ")
                + " |")
        }
        return lines.joined(separator: "\n")
    }
}
