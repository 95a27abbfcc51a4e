import Torch

/// DMFR's filter mode: a filter F (a linear map on the embedding, started at the identity) through which the
/// synthetic embeddings pass before their own classifier, trained so that F of a zero-change copy's embedding
/// lands on the real image's: `L = L_cls,real + L_cls,synthetic + λ_flt · mean ‖F(H(x₀)) − H(x)‖₂`.
///
/// At test time the embedding is the layer's alone; the filter only shapes training.
public final class FilterObjective: DMFRObjective {
    public let data: DMFRTrainingData
    public let layer: Linear
    /// The filter F.
    public let filter: Linear
    /// Classifier of the real rows.
    public let realHead: MarginSoftmax
    /// Classifier of the filtered synthetic rows.
    public let syntheticHead: MarginSoftmax
    /// λ_flt (the paper's 1).
    public let filterWeight: Double
    public let seed: UInt64

    public init(data: DMFRTrainingData, initial: (weight: Tensor, bias: Tensor), kind: MarginKind,
                filterWeight: Double = 1, seed: UInt64) throws {
        self.data = data
        layer = pretrainedEmbeddingLayer(initial)
        let size = initial.weight.size(0)
        filter = pretrainedEmbeddingLayer((Tensor.eye(size), Tensor.zeros([size])))
        realHead = try imprintedClassifier(data, embedding: layer.callAsFunction, kind: kind)
        syntheticHead = try imprintedClassifier(data, embedding: layer.callAsFunction, kind: kind)
        self.filterWeight = filterWeight
        self.seed = seed
    }

    public var modules: [String: Module] {
        ["embedding": layer, "filter": filter, "real-head": realHead, "synthetic-head": syntheticHead]
    }
    public var trajectorySettings: [String: String] { ["dmfr_mode": "filter", "filter_weight": "\(filterWeight)"] }

    /// The filter loss: the mean over rows of the Euclidean distance between each filtered zero-change embedding
    /// and its real image's embedding.
    public static func filterLoss(filtered: Tensor, real: Tensor) -> Tensor {
        ((filtered - real) * (filtered - real)).sum(1).clamp(min: 1e-12).sqrt().mean()
    }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let rows = Tensor(batch.indices.map(Int64.init))
        let synthetic = data.mixedSynthetic(rows: rows, seed: seed, step: step)
        let real = layer(data.real.indexSelect(0, rows))
        let realLoss = realHead.loss(real, labels: batch.labels)
        let syntheticLoss = syntheticHead.loss(filter(layer(synthetic.copies)), labels: batch.labels)
        let filterLoss = Self.filterLoss(filtered: filter(layer(synthetic.zeroChange)), real: real)
        return ["loss": realLoss + syntheticLoss + filterLoss * filterWeight, "cls_real": realLoss,
                "cls_synthetic": syntheticLoss, "filter": filterLoss]
    }

    public func embedding(_ trunk: Tensor) -> Tensor { layer(trunk) }
    public func embeddingMap() -> (weight: Tensor, bias: Tensor) { (layer.weight.detached(), layer.bias!.detached()) }
}
