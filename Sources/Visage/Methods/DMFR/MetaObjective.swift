import Torch

/// DMFR's meta-learning mode. Each step draws one generative domain as the meta-test; the meta-train batch is the
/// real rows with copies from the other domain. The classifier takes an inner step on the meta-train loss,
/// `w' = w − α ∇_w L_tr` (kept differentiable), the meta-test copies are classified with `w'`, and the step
/// descends `λ L_tr(θ, w) + (1 − λ) L_te(θ, w')` with the paper's λ = 0.5: the meta-gradient flows into the
/// embedding layer through both terms and into the classifier through the inner step.
public final class MetaObjective: DMFRObjective {
    public let data: DMFRTrainingData
    public let layer: Linear
    public let head: MarginSoftmax
    /// α, the inner step's learning rate.
    public let innerLearningRate: Double
    /// λ_meta (the paper's 0.5).
    public let metaTrainWeight: Double
    public let seed: UInt64

    public init(data: DMFRTrainingData, initial: (weight: Tensor, bias: Tensor), kind: MarginKind,
                innerLearningRate: Double, metaTrainWeight: Double = 0.5, seed: UInt64) throws {
        self.data = data
        layer = pretrainedEmbeddingLayer(initial)
        head = try imprintedClassifier(data, embedding: layer.callAsFunction, kind: kind)
        self.innerLearningRate = innerLearningRate
        self.metaTrainWeight = metaTrainWeight
        self.seed = seed
    }

    public var modules: [String: Module] { ["embedding": layer, "head": head] }
    public var trajectorySettings: [String: String] {
        ["dmfr_mode": "meta", "inner_lr": "\(innerLearningRate)", "meta_weight": "\(metaTrainWeight)"]
    }

    /// The meta-test domain of `step`.
    public func metaTestDomain(step: Int) -> SyntheticDomain {
        var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(step), 29))
        return SyntheticDomain.allCases[generator.index(below: SyntheticDomain.allCases.count)]
    }

    /// The classifier weights after the inner step on `metaTrainLoss`: a new differentiable tensor; no parameter
    /// (of the classifier or the embedding layer) is changed and no `.grad` is written.
    public func innerUpdate(_ metaTrainLoss: Tensor) -> Tensor {
        let gradient = gradients(of: [metaTrainLoss], with: [head.weight], retainGraph: true, createGraph: true)[0]
        return head.weight - gradient * innerLearningRate
    }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let rows = Tensor(batch.indices.map(Int64.init))
        let testDomain = metaTestDomain(step: step)
        let trainDomain = SyntheticDomain.allCases.first { $0 != testDomain }!
        let trainFeatures = Tensor.cat([data.real.indexSelect(0, rows), data.synthetic[trainDomain]!.indexSelect(0, rows)])
        let trainLoss = head.loss(layer(trainFeatures), labels: Tensor.cat([batch.labels, batch.labels]))
        let stepped = innerUpdate(trainLoss)
        let testLoss = head.loss(layer(data.synthetic[testDomain]!.indexSelect(0, rows)), labels: batch.labels,
                                 weight: stepped)
        return ["loss": trainLoss * metaTrainWeight + testLoss * (1 - metaTrainWeight),
                "meta_train": trainLoss, "meta_test": testLoss]
    }

    public func embedding(_ trunk: Tensor) -> Tensor { layer(trunk) }
    public func embeddingMap() -> (weight: Tensor, bias: Tensor) { (layer.weight.detached(), layer.bias!.detached()) }
}
