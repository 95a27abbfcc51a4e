import Torch

/// Step two of bridge distillation (Ge et al., Section III-C, Eq. 4–6): trains the low-resolution student on
/// degraded copies of the public faces with
///
///     loss = classificationWeight · Ĉ + regressionWeight · R
///     Ĉ = CE(S_s(M_s(I')), y)   (Eq. 5),   R = ‖M_s^l(I') − target(I)‖²   (Eq. 6)
///
/// `M_s^l(I')` is the student's embedding (its mimicking layer, right before the identity classifier `S_s`);
/// `target(I)` is the adapted feature `f_a(I)` of the high-resolution original (sc, s), its raw teacher
/// feature (dc), or absent (c, and the classification pretraining of every variant). The loader's samples are
/// degraded images (Eq. 5–6 sum over the degraded set `D(I)`); sample `k` regresses target row `k mod N` (N
/// target rows), so a ``DegradedCopies`` source of several copies of the N training images shares their
/// targets. Modules: `student`, `classifier`; logs `classification`, `regression` and `accuracy`.
public final class ResolutionAdaptedDistillation: LossObjective {
    /// The student network: `[N, 3, p, p]` → `[N, embeddingSize]`.
    public let student: Module
    /// The student's identity classifier `S_s` (softmax).
    public let classifier: MarginSoftmax
    /// Regression targets `[N, embeddingSize]`, one row per training image; nil for classification only.
    public let targets: Tensor?
    /// Weight of Ĉ (1, or 0 for the `s` variant).
    public let classificationWeight: Double
    /// Weight of R (Eq. 4 uses 1).
    public let regressionWeight: Double
    private let regression = FeatureRegressionLoss()

    /// An objective training `student` (with `embeddingSize`-D outputs) over `classes` identities, regressing
    /// `targets` when given.
    /// - Throws: ``DataError/invalidArgument(_:)`` when a weight is negative or not finite, both are zero, or
    ///   the targets' dimension is not the embedding size.
    public init(student: Module, embeddingSize: Int, classes: Int, targets: FeatureMatrix?,
                classificationWeight: Double = 1, regressionWeight: Double = 1) throws {
        for (name, weight) in [("classification", classificationWeight), ("regression", regressionWeight)] {
            guard weight >= 0, weight.isFinite else {
                throw DataError.invalidArgument("the \(name) weight must be finite and ≥ 0, got \(weight)")
            }
        }
        guard classificationWeight > 0 || (targets != nil && regressionWeight > 0) else {
            throw DataError.invalidArgument("the student needs classification or regression targets to learn from")
        }
        if let targets, targets.columns != embeddingSize {
            throw DataError.invalidArgument("the regression targets are \(targets.columns)-D but the student's "
                + "embedding is \(embeddingSize)-D; they must be equal")
        }
        self.student = student
        classifier = MarginSoftmax(embeddingSize: embeddingSize, classes: classes, kind: .softmax)
        self.targets = try targets.map { try Tensor($0.values, shape: [$0.rows, $0.columns]) }
        self.classificationWeight = classificationWeight
        self.regressionWeight = regressionWeight
    }

    /// The student and its classifier.
    public var modules: [String: Module] { ["student": student, "classifier": classifier] }

    /// Eq. 4 on the batch's degraded images.
    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        try withTorchErrors {
            let target = targets.map { targets in
                let rows = Int64(targets.size(0))
                return targets.indexSelect(0, Tensor(batch.indices.map { Int64($0) % rows }))
            }
            return losses(images: batch.images, labels: batch.labels, targets: target)
        }
    }

    /// Eq. 4 for images `[N, 3, p, p]`, labels `[N]` and targets `[N, embeddingSize]` (or nil).
    public func losses(images: Tensor, labels: Tensor, targets: Tensor?) -> [String: Tensor] {
        let embeddings = student(images)
        let logits = classifier(embeddings)
        let classification = Functional.crossEntropy(logits, target: labels)
        var result = ["classification": classification,
                      "accuracy": BridgeDistillationMetrics.accuracy(logits, labels: labels)]
        var loss = classification * classificationWeight
        if let targets, regressionWeight > 0 {
            let regressed = regression(student: embeddings, adaptedTeacher: targets)
            result["regression"] = regressed
            loss = loss + regressed * regressionWeight
        }
        result["loss"] = loss
        return result
    }
}
