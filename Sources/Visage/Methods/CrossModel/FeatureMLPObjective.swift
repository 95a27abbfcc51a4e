import Foundation
import Torch

/// The ``FeatureMLP`` baseline (the FC row of Table 3) as a ``Trainer`` objective: the L2 distance between the
/// MLP's output and the L2-normalized target features (as ``R3ANLoss/regression(transformed:target:)``), with the
/// configuration's SGD. It reads only the two feature matrices, never the images. Module: `mlp`.
public final class FeatureMLPObjective: TransformerObjective, LossObjective {
    public let pairs: CrossModelPairs
    /// The network being trained.
    public let mlp: FeatureMLP

    /// A fresh MLP for `pairs` with two hidden layers of `hiddenWidth`, initialized from `seed`.
    public init(pairs: CrossModelPairs, hiddenWidth: Int, seed: UInt64) throws {
        try pairs.checkTrainable(by: "MLP", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: 1)
        guard hiddenWidth > 0, hiddenWidth <= 1 << 16 else {
            throw CrossModelError.invalidConfiguration("the hidden width must be in 1…65536, got \(hiddenWidth)")
        }
        self.pairs = pairs
        Runtime.seed(seed)
        mlp = FeatureMLP(sourceDimension: pairs.sourceDimension, targetDimension: pairs.targetDimension,
                         hiddenWidth: hiddenWidth)
    }

    /// An MLP of about as many parameters as R³AN's transformation between the pairs' dimensions, as the paper
    /// compares them.
    public convenience init(pairs: CrossModelPairs, seed: UInt64) throws {
        let budget = R3ANTransformation(sourceDimension: pairs.sourceDimension,
                                        targetDimension: pairs.targetDimension).parameterCount
        try self.init(pairs: pairs, hiddenWidth: FeatureMLP.hiddenWidth(
            sourceDimension: pairs.sourceDimension, targetDimension: pairs.targetDimension, parameterBudget: budget),
            seed: seed)
    }

    public var modules: [String: Module] { ["mlp": mlp] }

    public var trajectorySettings: [String: String] {
        pairSettings.merging(["architecture": "FC", "hidden_width": "\(mlp.hiddenWidth)"]) { current, _ in current }
    }

    public func batches(batchSize: Int, seed: UInt64, workers: Int) throws -> any BatchSource {
        try pairs.checkTrainable(by: "MLP", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: batchSize)
        return try RowBatchLoader(source: pairs, batchSize: batchSize, seed: seed)
    }

    public func transformer() -> FeatureTransformer {
        FeatureTransformer(network: .mlp(mlp), sourceModel: pairs.sourceModel, targetModel: pairs.targetModel)
    }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let (source, target) = try features(of: batch)
        return ["loss": R3ANLoss.regression(transformed: mlp(source), target: target)]
    }
}
