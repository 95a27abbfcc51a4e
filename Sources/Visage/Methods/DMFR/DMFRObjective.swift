import Torch

/// What every DMFR mode's objective offers besides its losses: the embedding it trains, as the affine map of the
/// trunk feature that is written back into the network.
public protocol DMFRObjective: LossObjective {
    /// `[N, 512]` trunk features → `[N, embeddingSize]` embeddings, as verification uses them.
    func embedding(_ trunk: Tensor) -> Tensor
    /// The embedding as one affine map: weight `[embeddingSize, 512]`, bias `[embeddingSize]`.
    func embeddingMap() -> (weight: Tensor, bias: Tensor)
}

/// DMFR's training modes (the paper's, built on a frozen trunk: ``LastLayerSplit``).
public enum DMFRMode: String, Sendable, CaseIterable, Codable {
    /// Real images only: the baseline.
    case real
    /// Real images and synthetic copies mixed 1:1 in every batch, one classifier.
    case naive
    /// Synthetic features pass a filter trained to map each zero-change copy's feature to the real one; real and
    /// synthetic features have their own classifiers.
    case filter
    /// A random generative domain is the meta-test of each step: the classifier takes an inner step on the
    /// meta-train loss (real images and the other domain), the meta-test loss is computed with the stepped
    /// classifier, and the two are weighted 0.5/0.5.
    case meta
    /// The embedding is split into an entangled part (which a decoder must reconstruct the trunk feature from) and
    /// a non-identity part; identity is their difference.
    case disentangle
}

/// The embedding layer DMFR trains: a `Linear` 512 → embedding started at the pretrained last layer.
func pretrainedEmbeddingLayer(_ initial: (weight: Tensor, bias: Tensor)) -> Linear {
    let layer = Linear(initial.weight.size(1), initial.weight.size(0))
    withoutGrad {
        _ = layer.weight.copy_(initial.weight)
        _ = layer.bias!.copy_(initial.bias)
    }
    return layer
}

/// A margin-softmax classifier over the DMFR training identities, imprinted with each identity's mean embedding
/// of the real rows (as `visage train --initial-model` starts its head).
func imprintedClassifier(_ data: DMFRTrainingData, embedding: (Tensor) -> Tensor, kind: MarginKind) throws -> MarginSoftmax {
    let embeddings = withoutGrad { embedding(data.real).contiguous() }
    let head = MarginSoftmax(embeddingSize: embeddings.size(1), classes: data.classCount, kind: kind)
    try head.imprint(embeddings: FeatureMatrix(rows: embeddings.size(0), columns: embeddings.size(1),
                                               values: embeddings.array(of: Float.self)), labels: data.labels)
    return head
}
