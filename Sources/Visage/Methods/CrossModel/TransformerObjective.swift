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
    /// The source and target features of a batch's rows, the target L2-normalized and scaled to `targetNorm`
    /// (``CrossModelPairs/featureTensors(rows:targetNorm:)``).
    func features(of batch: Batch, targetNorm: Double = 1) throws -> (source: Tensor, target: Tensor) {
        try pairs.featureTensors(rows: batch.indices, targetNorm: targetNorm)
    }

    /// The pairs' models and dimensions, which a resumed run must share.
    var pairSettings: [String: String] { pairs.modelSettings }
}
