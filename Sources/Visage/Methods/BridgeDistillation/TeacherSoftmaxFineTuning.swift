import Torch

/// Fine-tuning the teacher's softmax layer on the public high-resolution set (Ge et al., Section III-B): a
/// softmax classifier `Ŝ_t` over the frozen teacher features, trained with cross-entropy on the training
/// identities. Its logits, divided by the temperature T, are the softened targets `ŝ` of Eq. 3.
///
/// Trains on a ``FeatureRowSource`` loader: the batch's indices pick the teacher feature rows. Module:
/// `teacher_softmax`.
public final class TeacherSoftmaxFineTuning: LossObjective {
    /// The classifier `Ŝ_t`.
    public let softmax: MarginSoftmax
    /// The teacher features, `[N, D]`, one row per training sample.
    public let features: Tensor

    /// An objective over `teacher`'s features for `classes` identities.
    public init(teacher: TeacherFeatures, classes: Int) throws {
        features = try teacher.tensor()
        softmax = MarginSoftmax(embeddingSize: teacher.dimension, classes: classes, kind: .softmax)
    }

    /// The trained classifier.
    public var modules: [String: Module] { ["teacher_softmax": softmax] }

    /// Cross-entropy of the classifier on the batch's teacher features; logs the batch accuracy.
    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        try withTorchErrors {
            let logits = softmax(features.indexSelect(0, Tensor(batch.indices.map(Int64.init))))
            return ["loss": Functional.crossEntropy(logits, target: batch.labels),
                    "accuracy": BridgeDistillationMetrics.accuracy(logits, labels: batch.labels)]
        }
    }
}
