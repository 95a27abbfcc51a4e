import Torch

/// DMFR's real-only and naive-mixing modes: one classifier over the embeddings of the real rows, and with
/// `mixing` of a synthetic copy of each (its domain drawn per row and step) as well, 1:1 in every batch.
public final class MixingObjective: DMFRObjective {
    public let data: DMFRTrainingData
    public let layer: Linear
    public let head: MarginSoftmax
    /// Whether synthetic copies join the real rows.
    public let mixing: Bool
    /// Seed of the per-step domain draws.
    public let seed: UInt64

    /// The objective, its layer started at `initial` (the pretrained last layer) and its classifier imprinted.
    public init(data: DMFRTrainingData, initial: (weight: Tensor, bias: Tensor), kind: MarginKind, mixing: Bool,
                seed: UInt64) throws {
        self.data = data
        layer = pretrainedEmbeddingLayer(initial)
        head = try imprintedClassifier(data, embedding: layer.callAsFunction, kind: kind)
        self.mixing = mixing
        self.seed = seed
    }

    public var modules: [String: Module] { ["embedding": layer, "head": head] }
    public var trajectorySettings: [String: String] { ["dmfr_mode": mixing ? "naive" : "real"] }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let rows = Tensor(batch.indices.map(Int64.init))
        var features = data.real.indexSelect(0, rows), labels = batch.labels
        if mixing {
            features = Tensor.cat([features, data.mixedSynthetic(rows: rows, seed: seed, step: step).copies])
            labels = Tensor.cat([labels, labels])
        }
        return ["loss": head.loss(layer(features), labels: labels)]
    }

    public func embedding(_ trunk: Tensor) -> Tensor { layer(trunk) }
    public func embeddingMap() -> (weight: Tensor, bias: Tensor) { (layer.weight.detached(), layer.bias!.detached()) }
}
