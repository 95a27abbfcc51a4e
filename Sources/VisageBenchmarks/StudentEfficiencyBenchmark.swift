import Foundation
import Torch
import Visage

#if canImport(Glibc)
    import Glibc
#endif

/// The efficiency table of bridge distillation (Ge et al., Tables I–II): for the student at each resolution and
/// a reference network at its own input size, the parameters, model file bytes, FLOPs per face, inference
/// memory and faces per second at each batch size, measured in one run on this machine.
///
/// Networks run as Visage deploys them (``BackboneArchitecture/preparedForInference(_:)``: evaluation mode,
/// batch normalization folded, channels-last where the architecture prefers it), without gradients.
/// **Memory** is measured, not estimated: the peak growth of the process's resident memory during one forward
/// pass at the largest batch (Linux `VmHWM`, reset through `/proc/self/clear_refs`, with glibc told
/// to map every block of 64 KiB or more separately so freed activations leave the resident set), divided by the
/// batch: the activation memory per face. The weights' memory is the model file's size.
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
        /// Activation bytes per face at the largest batch; nil where it cannot be measured (not Linux).
        public var activationBytesPerFace: Double?
        /// Faces per second at each batch size (median round).
        public var facesPerSecond: [Int: Double]
    }

    /// Measures every network, showing progress on standard error.
    public func run() throws -> [Row] {
        Self.mapLargeBlocksSeparately()
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
            var memory: Double?
            for batch in batchSizes {
                let input = architecture.inferenceInput(Tensor.randn([batch, 3, size, size]))
                let milliseconds = try withTorchErrors { measure { _ = model(input) } }
                speeds[batch] = Double(batch) * 1000 / milliseconds
                if batch == batchSizes.max() {
                    memory = Self.peakGrowth { withoutGrad { _ = model(input) } }.map { Double($0) / Double(batch) }
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

    /// Sets glibc's `M_MMAP_THRESHOLD` (−3) to 64 KiB, which also stops glibc from raising it as blocks are
    /// freed: every activation buffer is then its own mapping, returned to the system when freed, so each
    /// forward pass's peak shows in the resident set. (`mallopt` is looked up because Swift's Glibc module
    /// does not export `malloc.h`.)
    private static func mapLargeBlocksSeparately() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            if let symbol = dlsym(nil, "mallopt") {
                _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, 64 * 1024)
            }
        #endif
    }

    /// The growth of the peak resident set while `body` runs, in bytes; nil when the kernel cannot tell.
    static func peakGrowth(_ body: () -> Void) -> Int? {
        guard (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil,
              let before = statusKilobytes("VmRSS")
        else { return nil }
        body()
        guard let peak = statusKilobytes("VmHWM") else { return nil }
        return max(0, peak - before) * 1024
    }

    /// A `kB` field of `/proc/self/status`.
    private static func statusKilobytes(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// The figures as a Markdown table.
    public func report(_ rows: [Row]) -> String {
        var lines = [
            "FLOPs = 2 × conv/FC multiply-accumulates per face; memory = weights (model file) + activations per "
                + "face (peak resident growth at batch \(batchSizes.max() ?? 0) / batch); faces/s median of "
                + "\(rounds) rounds, BN folded, channels-last where the architecture prefers it, \(Runtime.threads) threads",
            "",
            "| model | input | params | file bytes | MFLOPs/face | weights MB | activations MB/face | "
                + batchSizes.map { "faces/s @\($0)" }.joined(separator: " | ") + " |",
            "|---|---|---|---|---|---|---|" + batchSizes.map { _ in "---|" }.joined(),
        ]
        for row in rows {
            let activations = row.activationBytesPerFace.map { String(format: "%.3f", $0 / 1e6) } ?? "n/a"
            lines.append("| \(row.name) | \(row.inputSize)×\(row.inputSize) | \(row.profile.parameters) | "
                + "\(row.fileBytes) | " + String(format: "%.2f", Double(row.profile.flops) / 1e6) + " | "
                + String(format: "%.3f", Double(row.fileBytes) / 1e6) + " | \(activations) | "
                + batchSizes.map { String(format: "%.1f", row.facesPerSecond[$0] ?? .nan) }.joined(separator: " | ")
                + " |")
        }
        return lines.joined(separator: "\n")
    }
}
