import Foundation
import Torch
import Visage

/// Measures the backbones' inference speed: faces per second at each batch size, with weights and inputs
/// contiguous (NCHW) or channels-last (NHWC), and with batch normalization kept or folded into the
/// convolutions (``fusedForInference(_:)``), next to each network's parameters and FLOPs.
public struct BackboneBenchmark {
    /// The networks to measure.
    public var architectures = BackboneArchitecture.all
    /// Batch sizes to time each network at.
    public var batchSizes = [1, 64]
    /// Embedding size; nil uses each architecture's ``BackboneArchitecture/defaultEmbeddingSize``.
    public var embeddingSize: Int?
    /// Median over this many timed rounds.
    public var rounds = 3
    /// Target length of one timed round; each round runs at least one forward pass.
    public var secondsPerRound = 1.0
    /// libtorch threads; nil keeps ``Runtime/threads`` (the available cores).
    public var threads: Int?

    /// The default benchmark: every architecture at batches 1 and 64.
    public init() {}

    /// One way of running a network.
    public struct Variant: Hashable, Sendable, CustomStringConvertible {
        /// Channels-last weights and inputs (false: contiguous NCHW).
        public var channelsLast: Bool
        /// Batch normalization folded into the convolutions.
        public var folded: Bool

        /// The four combinations, in table order.
        public static let all = [false, true].flatMap { folded in
            [false, true].map { Variant(channelsLast: $0, folded: folded) }
        }

        /// `NCHW` or `NHWC`, with ` folded` when folded.
        public var description: String { (channelsLast ? "NHWC" : "NCHW") + (folded ? " folded" : "") }
    }

    /// The figures of one architecture at one batch size.
    public struct Row: Sendable {
        /// The network.
        public var architecture: BackboneArchitecture
        /// Input side (112, or 16 for the student).
        public var inputSize: Int
        /// Parameters and FLOPs per face.
        public var profile: ModelProfile
        /// Faces per forward pass.
        public var batch: Int
        /// Faces per second of each variant (median round).
        public var facesPerSecond: [Variant: Double]
    }

    /// Runs every measurement, showing progress on standard error.
    public func run() throws -> [Row] {
        if let threads { Runtime.threads = threads }
        let progress = ProgressBar("backbones", total: architectures.count * Variant.all.count, unit: "variant")
        defer { progress.finish() }
        var rows: [Row] = []
        for architecture in architectures {
            let size = architecture.nativeInputSize
            let profile = try ModelProfile.measure(freshModel(architecture), inputSize: size)
            var speeds = [Int: [Variant: Double]]()
            for variant in Variant.all {
                progress.status = "\(architecture) \(variant)"
                let model = prepared(architecture, variant)
                for batch in batchSizes {
                    var input = Tensor.randn([batch, 3, size, size])
                    if variant.channelsLast { input = input.contiguous(.channelsLast) }
                    let milliseconds = try withTorchErrors { measure { _ = model(input) } }
                    speeds[batch, default: [:]][variant] = Double(batch) * 1000 / milliseconds
                }
                progress.advance()
            }
            for batch in batchSizes {
                rows.append(Row(architecture: architecture, inputSize: size, profile: profile, batch: batch,
                                facesPerSecond: speeds[batch] ?? [:]))
            }
        }
        return rows
    }

    /// A fresh network in evaluation mode, folded and converted as `variant` says.
    private func prepared(_ architecture: BackboneArchitecture, _ variant: Variant) -> Module {
        let model = freshModel(architecture).eval()
        if variant.folded { fusedForInference(model) }
        if variant.channelsLast { convertToChannelsLast(model) }
        return model
    }

    /// The network, initialized from seed 0.
    private func freshModel(_ architecture: BackboneArchitecture) -> Module {
        Runtime.seed(0)
        return architecture.make(embeddingSize: embeddingSize ?? architecture.defaultEmbeddingSize)
    }

    /// Median milliseconds per call of `body` without gradients, rounds sized from one warm-up call.
    private func measure(_ body: () -> Void) -> Double {
        withoutGrad { BenchmarkTiming.medianMilliseconds(secondsPerRound: secondsPerRound, rounds: rounds, body) }
    }

    /// The figures as a table, one line per architecture and batch size.
    public func report(_ rows: [Row]) -> String {
        let header = tableCell("backbone", 20, left: true) + tableCell("input", 6) + tableCell("params", 11)
            + tableCell("GFLOPs", 9) + tableCell("batch", 6) + Variant.all.map { tableCell($0.description, 13) }.joined()
        var lines = [
            "faces/s, median of \(rounds) rounds; FLOPs = 2 × conv/FC multiply-accumulates per face; "
                + "\(Runtime.threads) threads",
            header,
        ]
        for row in rows {
            lines.append(
                tableCell(row.architecture.description, 20, left: true) + tableCell("\(row.inputSize)", 6)
                    + tableCell("\(row.profile.parameters)", 11)
                    + tableCell(String(format: "%.3f", Double(row.profile.flops) / 1e9), 9)
                    + tableCell("\(row.batch)", 6)
                    + Variant.all.map { tableCell(String(format: "%.1f", row.facesPerSecond[$0] ?? .nan), 13) }
                        .joined())
        }
        return lines.joined(separator: "\n")
    }
}
