import Foundation
import Torch
import Visage

/// The speed claim of R³AN (Section 4.4: transforming features is about 10× faster than extracting them with a
/// ResNet-101): features per second through feature transformers, side by side with a face network extracting
/// the same number of features from aligned faces, in one run on the same threads.
///
/// Transformers run as `visage transform` runs them (evaluation mode, no gradients, ``FeatureTransformer``'s
/// call); the reference network runs as the library's inference does
/// (``BackboneArchitecture/preparedForInference(_:)``). Inputs are random: speed does not depend on the values.
/// The anchor is the reference network in the same run, so no Python anchor is needed. With ``photoEngine`` set,
/// a second anchor is what a gallery owner would otherwise do: re-extract the templates with the target engine
/// from the photos, detection, landmarks and crops included (`visage embed --photos --every-face`'s path).
public struct FeatureTransformBenchmark {
    /// The transformers to time, by name.
    public var transformers: [(name: String, transformer: FeatureTransformer)]
    /// The network extracting features from faces at its native input size.
    public var reference: BackboneArchitecture = .iresnet(depth: 50)
    /// Features per call, for the transformers and the reference alike.
    public var batch = 32
    /// Median over this many timed calls, after one untimed call.
    public var rounds = 3
    /// libtorch threads (the paper's claim is for 2 cores).
    public var threads = 2
    /// An engine re-extracting templates from photos, timed as a second anchor: every face of every photo.
    public var photoEngine: (model: FaceModel, finder: FaceFinder, photos: PhotoList)?

    /// A benchmark of `transformers` against IResNet-50.
    public init(transformers: [(name: String, transformer: FeatureTransformer)]) {
        self.transformers = transformers
    }

    /// A freshly initialized R³AN `E(G(X))` from `sourceDimension` to `targetDimension` features, named
    /// `R³AN s→t`, seeded.
    public static func freshR3AN(sourceDimension: Int, targetDimension: Int)
        -> (name: String, transformer: FeatureTransformer)
    {
        Runtime.seed(0)
        let r3an = R3ANTransformation(sourceDimension: sourceDimension, targetDimension: targetDimension)
        return ("R³AN \(sourceDimension)→\(targetDimension)",
                FeatureTransformer(network: .r3an(r3an, .r3an), sourceModel: "source", targetModel: "target"))
    }

    /// A freshly initialized FC baseline with as many parameters as R³AN between the same dimensions
    /// (``FeatureMLP/init(sourceDimension:targetDimension:parameterBudget:)``), named `FC s→t`, seeded.
    public static func equalSizeFC(sourceDimension: Int, targetDimension: Int)
        -> (name: String, transformer: FeatureTransformer)
    {
        let budget = R3ANTransformation(sourceDimension: sourceDimension, targetDimension: targetDimension)
            .parameterCount
        Runtime.seed(0)
        let mlp = FeatureMLP(sourceDimension: sourceDimension, targetDimension: targetDimension,
                             parameterBudget: budget)
        return ("FC \(sourceDimension)→\(targetDimension)",
                FeatureTransformer(network: .mlp(mlp), sourceModel: "source", targetModel: "target"))
    }

    /// The figures of one network.
    public struct Row: Sendable, Equatable {
        /// The network's name.
        public var name: String
        /// What it reads: `512-D features`, `112×112 faces`.
        public var input: String
        /// Dimension of the features it produces.
        public var outputDimension: Int
        /// Its parameters.
        public var parameters: Int
        /// Features produced per second (median call).
        public var featuresPerSecond: Double
        /// True for the network the others are compared with.
        public var isReference: Bool

        /// A row of measured figures.
        public init(name: String, input: String, outputDimension: Int, parameters: Int, featuresPerSecond: Double,
                    isReference: Bool = false) {
            self.name = name
            self.input = input
            self.outputDimension = outputDimension
            self.parameters = parameters
            self.featuresPerSecond = featuresPerSecond
            self.isReference = isReference
        }
    }

    /// Times every transformer, then the reference network, showing progress on standard error.
    /// - Throws: ``DataError/invalidArgument(_:)`` for a batch, round or thread count that is not positive; a
    ///   `TorchError` when libtorch cannot run a network (e.g. out of memory).
    public func run() throws -> [Row] {
        guard batch > 0, rounds > 0, threads > 0 else {
            throw DataError.invalidArgument(
                "batch, rounds and threads must be positive, got \(batch), \(rounds) and \(threads)")
        }
        let previousThreads = Runtime.threads
        Runtime.threads = threads
        defer { Runtime.threads = previousThreads }
        let progress = ProgressBar("transform bench", total: transformers.count + 1, unit: "net")
        defer { progress.finish() }
        var rows: [Row] = []
        for (name, transformer) in transformers {
            progress.status = name
            let features = Tensor.randn([batch, transformer.sourceDimension])
            let milliseconds = try measure { _ = transformer(features) }
            rows.append(Row(name: name, input: "\(transformer.sourceDimension)-D features",
                            outputDimension: transformer.targetDimension,
                            parameters: transformer.module.parameterCount,
                            featuresPerSecond: Double(batch) * 1000 / milliseconds))
            progress.advance()
        }
        progress.status = reference.description
        Runtime.seed(0)
        let model = reference.make(embeddingSize: reference.defaultEmbeddingSize).eval()
        let parameters = model.parameterCount
        reference.preparedForInference(model)
        let size = reference.nativeInputSize
        let faces = reference.inferenceInput(Tensor.randn([batch, 3, size, size]))
        let milliseconds = try measure { _ = model(faces) }
        rows.append(Row(name: reference.description, input: "\(size)×\(size) faces",
                        outputDimension: reference.defaultEmbeddingSize, parameters: parameters,
                        featuresPerSecond: Double(batch) * 1000 / milliseconds, isReference: true))
        progress.advance()
        if let (model, finder, photos) = photoEngine {
            progress.status = "\(model.identifier) from photos"
            var faces = 0
            let milliseconds = try measure {
                let found = try PhotoDetections.detect(photos, finder: finder, showProgress: false)
                let source = DetectedFaceSource(found, crop: model.crop, everyFace: true)
                faces = source.count
                _ = try model.embedder(batchSize: batch, workers: 1).embed(source, showProgress: false)
            }
            guard faces > 0 else {
                throw DataError.invalidArgument("no face found in the \(photos.photos.count) benchmark photos")
            }
            rows.append(Row(name: "\(model.engine?.name ?? model.identifier) from photos",
                            input: "\(photos.photos.count) photos", outputDimension: model.embeddingSize,
                            parameters: model.backbone.parameterCount,
                            featuresPerSecond: Double(faces) * 1000 / milliseconds, isReference: true))
        }
        return rows
    }

    /// Median milliseconds of one call of `body` without gradients, after one untimed call.
    private func measure(_ body: () throws -> Void) throws -> Double {
        try withTorchErrors {
            try withoutGrad { try BenchmarkTiming.medianMilliseconds(warmup: 1, iterations: 1, rounds: rounds, body) }
        }
    }

    /// The figures as a table: features per second of each network and its speed relative to each anchor.
    public func report(_ rows: [Row]) -> String {
        let anchors = rows.filter(\.isReference)
        var lines = [
            "features/s, batch \(batch), median of \(rounds) calls after one untimed call, \(threads) threads; "
                + "random inputs; anchors in this run (no Python anchor): "
                + anchors.map(\.name).joined(separator: ", "),
            tableCell("network", 28, left: true) + tableCell("input", 18) + tableCell("output", 8)
                + tableCell("params", 12) + tableCell("features/s", 13)
                + anchors.map { tableCell("× " + $0.name, max(14, $0.name.count + 4)) }.joined(),
        ]
        for row in rows {
            lines.append(
                tableCell(row.name, 28, left: true) + tableCell(row.input, 18)
                    + tableCell("\(row.outputDimension)-D", 8) + tableCell("\(row.parameters)", 12)
                    + tableCell(String(format: "%.1f", row.featuresPerSecond), 13)
                    + anchors.map { anchor in
                        tableCell(String(format: "%.1f×", row.featuresPerSecond / anchor.featuresPerSecond),
                                  max(14, anchor.name.count + 4))
                    }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
