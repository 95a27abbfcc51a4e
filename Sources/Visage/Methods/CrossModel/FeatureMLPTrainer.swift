import Foundation
import Torch

/// Trains the ``FeatureMLP`` baseline (the FC row of Table 3): the L2 distance between the MLP's output and the
/// L2-normalized target features (as ``R3ANLoss/regression(transformed:target:)``), with the same SGD settings
/// and schedule as R³AN. It needs only the two feature matrices, never the images.
public final class FeatureMLPTrainer {
    /// The network being trained.
    public let mlp: FeatureMLP
    /// Optimization settings.
    public let settings: CrossModelTrainingSettings
    /// Iterations done so far.
    public private(set) var iteration = 0

    private let optimizer: SGD
    private let schedule: MultiStepSchedule

    /// A trainer for a fresh MLP (seeded by `settings.seed`).
    public init(sourceDimension: Int, targetDimension: Int, hiddenWidth: Int, settings: CrossModelTrainingSettings)
        throws
    {
        try settings.validate()
        guard sourceDimension > 0, targetDimension > 0, hiddenWidth > 0 else {
            throw CrossModelError.invalidConfiguration(
                "dimensions and width must be positive, got \(sourceDimension) → \(hiddenWidth) → \(targetDimension)")
        }
        Runtime.seed(settings.seed)
        mlp = FeatureMLP(sourceDimension: sourceDimension, targetDimension: targetDimension, hiddenWidth: hiddenWidth)
        self.settings = settings
        optimizer = try SGD(mlp.namedParameters(), SGD.Hyperparameters(
            learningRate: settings.learningRate, momentum: settings.momentum, weightDecay: settings.weightDecay))
        schedule = MultiStepSchedule(milestones: settings.milestones, gamma: 0.1)
    }

    /// One SGD step on a mini-batch; returns the loss.
    /// - Throws: ``CrossModelError/diverged(_:)`` when the loss is not finite.
    @discardableResult
    public func step(source: Tensor, target: Tensor) throws -> Double {
        schedule.apply(to: optimizer, at: iteration)
        mlp.train()
        let loss = R3ANLoss.regression(transformed: mlp(source), target: Functional.normalize(target, dim: 1))
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        iteration += 1
        let value = loss.item
        guard value.isFinite else { throw CrossModelError.diverged("iteration \(iteration): the FC loss is \(value)") }
        return value
    }

    /// Runs ``step(source:target:)`` on shuffled mini-batches of `pairs` until `settings.iterations` are done.
    /// - Returns: the last loss.
    @discardableResult
    public func train(on pairs: CrossModelPairs, progress: ProgressBar? = nil) throws -> Double {
        guard pairs.sourceDimension == mlp.sourceDimension, pairs.targetDimension == mlp.targetDimension else {
            throw CrossModelError.incompatibleFeatures(
                "the pairs are \(pairs.sourceDimension) → \(pairs.targetDimension)-dimensional, the MLP "
                    + "\(mlp.sourceDimension) → \(mlp.targetDimension)")
        }
        guard pairs.count >= settings.batchSize else {
            throw CrossModelError.invalidConfiguration(
                "\(pairs.count) training pairs are fewer than one batch of \(settings.batchSize)")
        }
        let batchesPerEpoch = pairs.count / settings.batchSize
        var last = Double.nan
        while iteration < settings.iterations {
            var generator = SeededRandom(seed: SeededRandom.derive(settings.seed, UInt64(iteration / batchesPerEpoch)))
            let order = Array(0..<pairs.count).shuffled(using: &generator)
            for batch in (iteration % batchesPerEpoch)..<batchesPerEpoch where iteration < settings.iterations {
                let rows = Array(order[(batch * settings.batchSize)..<((batch + 1) * settings.batchSize)])
                let (source, target) = try pairs.featureTensors(rows: rows)
                last = try step(source: source, target: target)
                progress?.status = String(format: "loss %.4g", last)
                progress?.advance()
            }
        }
        return last
    }

    /// The trained MLP as a ``FeatureTransformer`` between the named models.
    public func transformer(sourceModel: String, targetModel: String) -> FeatureTransformer {
        FeatureTransformer(network: .mlp(mlp), sourceModel: sourceModel, targetModel: targetModel)
    }
}
