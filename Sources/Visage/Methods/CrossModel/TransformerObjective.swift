import Foundation
import Torch

/// What a ``Trainer`` trains to map one model's features onto another's: R³AN and its ablations
/// (``R3ANObjective``) or the FC baseline (``FeatureMLPObjective``), on ``pairs``.
public protocol TransformerObjective: TrainingObjective {
    /// The training pairs.
    var pairs: CrossModelPairs { get }
    /// The batches of ``pairs`` it trains on: shuffled by `seed`, the last partial batch dropped, decoding faces
    /// on `workers` threads when it needs them.
    /// - Throws: when the pairs do not fit the networks or fill no batch of `batchSize`.
    func batches(batchSize: Int, seed: UInt64, workers: Int) throws -> any BatchSource
    /// The trained network as a transformer between the pairs' models.
    func transformer() -> FeatureTransformer
}

extension TransformerObjective {
    /// The source and target features of a batch's rows, the target L2-normalized: the loss then regresses the
    /// direction that cosine similarity compares, and its weights do not depend on the target model's scale.
    func features(of batch: Batch) throws -> (source: Tensor, target: Tensor) {
        let (source, target) = try pairs.featureTensors(rows: batch.indices)
        return (source, Functional.normalize(target, dim: 1))
    }

    /// The pairs' models and dimensions, which a resumed run must share.
    var pairSettings: [String: String] {
        ["source_model": pairs.sourceModel, "target_model": pairs.targetModel,
         "source_dimension": "\(pairs.sourceDimension)", "target_dimension": "\(pairs.targetDimension)"]
    }
}

extension TrainingConfig {
    /// The optimization of Section 5.2 of the R³AN paper for a transformer run of `iterations` steps: SGD at
    /// `learningRate` (the paper: 0.08) with momentum 0.9 and weight decay 10⁻³ on every parameter, divided by 10
    /// at 30 %, 50 % and 70 % of the run (the paper's 60k, 100k and 140k of 200k iterations), no clipping.
    public static func crossModel(
        iterations: Int, batchSize: Int, learningRate: Double = 0.08, seed: UInt64, output: URL,
        checkpointInterval: Int = 500
    ) -> TrainingConfig {
        let milestones = Array(Set([0.3, 0.5, 0.7].map { Int((Double(iterations) * $0).rounded()) }
            .filter { $0 > 0 && $0 < iterations })).sorted()
        return TrainingConfig(
            length: .steps(iterations), batchSize: batchSize, learningRate: learningRate, momentum: 0.9,
            weightDecay: 1e-3, exemptNormAndBiasFromDecay: false,
            schedule: milestones.isEmpty ? .constant : .multiStep(milestones: milestones, gamma: 0.1),
            gradientClipNorm: nil, checkpointInterval: checkpointInterval, keptCheckpoints: 2, logInterval: 50,
            seed: seed, outputDirectory: output.path)
    }
}
