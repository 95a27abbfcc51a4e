import Foundation
import Torch

/// A trained source → target feature transformation (R³AN's `E(G(X))`, the ``FeatureMLP`` baseline or the
/// closed-form ``LinearFeatureMap``) with the
/// stamps of the two models, stored as one safetensors file whose metadata says what it is.
///
/// Metadata keys: `format` (`visage-feature-transformer`), `architecture` (`r3an`, `mlp` or `linear`), `configuration`
/// (the ``R3ANConfiguration`` as JSON, for R³AN) or `hidden_width` (for the MLP), `source_model`,
/// `target_model`, `source_dimension`, `target_dimension`, and `iteration` for training checkpoints.
public final class FeatureTransformer {
    /// The network, `[N, sourceDimension]` → `[N, targetDimension]`.
    public enum Network {
        case r3an(R3ANTransformation, R3ANConfiguration)
        case mlp(FeatureMLP)
        case linear(LinearFeatureMap)
    }

    /// The network that maps features.
    public let network: Network
    /// The model whose features it reads.
    public let sourceModel: String
    /// The model whose feature space it writes into.
    public let targetModel: String

    /// The metadata value of `format`.
    public static let formatName = "visage-feature-transformer"

    /// A transformer over a trained network.
    public init(network: Network, sourceModel: String, targetModel: String) {
        self.network = network
        self.sourceModel = sourceModel
        self.targetModel = targetModel
    }

    /// The network as a module.
    public var module: Module {
        switch network {
        case .r3an(let transformation, _): transformation
        case .mlp(let mlp): mlp
        case .linear(let map): map
        }
    }

    /// Dimension of the features it reads.
    public var sourceDimension: Int {
        switch network {
        case .r3an(let transformation, _): transformation.sourceDimension
        case .mlp(let mlp): mlp.sourceDimension
        case .linear(let map): map.sourceDimension
        }
    }

    /// Dimension of the features it writes.
    public var targetDimension: Int {
        switch network {
        case .r3an(let transformation, _): transformation.targetDimension
        case .mlp(let mlp): mlp.targetDimension
        case .linear(let map): map.targetDimension
        }
    }

    /// `r3an`, `mlp` or `linear`.
    public var architecture: String {
        switch network {
        case .r3an: "r3an"
        case .mlp: "mlp"
        case .linear: "linear"
        }
    }

    /// The file metadata describing this transformer.
    /// - Throws: when the configuration cannot be written as JSON (a weight that is not finite).
    public func metadata() throws -> [String: String] {
        var metadata = [
            "format": Self.formatName, "architecture": architecture, "source_model": sourceModel,
            "target_model": targetModel, "source_dimension": "\(sourceDimension)",
            "target_dimension": "\(targetDimension)",
        ]
        switch network {
        case .r3an(_, let configuration):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            metadata["configuration"] = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        case .mlp(let mlp):
            metadata["hidden_width"] = "\(mlp.hiddenWidth)"
        case .linear:
            break
        }
        return metadata
    }

    /// Writes the network's weights and the metadata (plus `extra` entries) to `url`, atomically.
    public func save(to url: URL, extra: [String: String] = [:]) throws {
        try module.save(to: url, metadata: metadata().merging(extra) { current, _ in current })
    }

    /// Reads a transformer written by ``save(to:extra:)``.
    /// - Throws: ``CrossModelError/invalidTransformer(_:)`` naming the file and the missing or bad metadata;
    ///   safetensors and state-dict errors when the weights do not fit the described network.
    public static func load(from url: URL) throws -> FeatureTransformer {
        let contents = try SafeTensors.read(from: url)
        let metadata = contents.metadata
        func fail(_ message: String) -> CrossModelError { .invalidTransformer("\(url.path): \(message)") }
        guard metadata["format"] == formatName else {
            throw fail("not a Visage feature transformer (metadata 'format' is \(metadata["format"].map { "'\($0)'" } ?? "absent"))")
        }
        func value(_ key: String) throws -> String {
            guard let value = metadata[key] else { throw fail("metadata '\(key)' is missing") }
            return value
        }
        func positive(_ key: String) throws -> Int {
            let text = try value(key)
            guard let number = Int(text), number > 0 else { throw fail("metadata '\(key)' = '\(text)' is not a positive integer") }
            return number
        }
        let sourceDimension = try positive("source_dimension"), targetDimension = try positive("target_dimension")
        let network: Network
        switch try value("architecture") {
        case "r3an":
            let configuration: R3ANConfiguration
            do {
                configuration = try JSONDecoder().decode(R3ANConfiguration.self, from: Data(try value("configuration").utf8))
            } catch let error as CrossModelError {
                throw error
            } catch {
                throw fail("metadata 'configuration' is not an R³AN configuration: \(error)")
            }
            network = .r3an(R3ANTransformation(sourceDimension: sourceDimension, targetDimension: targetDimension),
                            configuration)
        case "mlp":
            network = .mlp(FeatureMLP(sourceDimension: sourceDimension, targetDimension: targetDimension,
                                      hiddenWidth: try positive("hidden_width")))
        case "linear":
            network = .linear(LinearFeatureMap(sourceDimension: sourceDimension, targetDimension: targetDimension))
        case let other:
            throw fail("unknown architecture '\(other)' (expected 'r3an', 'mlp' or 'linear')")
        }
        let transformer = FeatureTransformer(
            network: network, sourceModel: try value("source_model"), targetModel: try value("target_model"))
        try transformer.module.loadStateDict(contents.tensors, strict: true)
        transformer.module.eval()
        return transformer
    }

    /// Transforms `[N, sourceDimension]` features in evaluation mode without recording gradients.
    public func callAsFunction(_ features: Tensor) -> Tensor {
        let module = self.module
        let wasTraining = module.isTraining
        if wasTraining { module.eval() }
        defer { if wasTraining { module.train() } }
        return withoutGrad { module(features) }
    }

    /// Transforms the rows of `features`, `batchSize` rows per forward pass (R³AN's intermediate faces make a
    /// pass's memory grow with its rows), advancing `progress` by the rows of each pass.
    /// - Throws: ``CrossModelError/incompatibleFeatures(_:)`` when they are not `sourceDimension`-dimensional.
    public func transform(_ features: FeatureMatrix, batchSize: Int = 1024, progress: ProgressBar? = nil) throws
        -> FeatureMatrix
    {
        precondition(batchSize > 0, "FeatureTransformer.transform: batchSize must be positive")
        guard features.columns == sourceDimension else {
            throw CrossModelError.incompatibleFeatures(
                "features are \(features.columns)-dimensional but the transformer from \(sourceModel) reads "
                    + "\(sourceDimension)-dimensional ones")
        }
        var values: [Float] = []
        values.reserveCapacity(features.rows * targetDimension)
        for start in stride(from: 0, to: features.rows, by: batchSize) {
            let end = min(start + batchSize, features.rows)
            let input = try Tensor(Array(features.values[(start * features.columns)..<(end * features.columns)]),
                                   shape: [end - start, features.columns])
            values += try withTorchErrors { self(input) }.array(of: Float.self)
            progress?.advance(by: end - start)
        }
        return try FeatureMatrix(rows: features.rows, columns: targetDimension, values: values)
    }
}
