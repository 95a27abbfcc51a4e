import Torch

/// Step one of bridge distillation (Ge et al., Section III-B, Eq. 1–3): trains the ``AdaptationModule`` on the
/// teacher features of the public high-resolution faces with
///
///     loss = C + λ · D,   C = CE(S_a(F_a(f_t)), y)   (Eq. 2),   D = CE(S_a(F_a(f_t)), softmax(Ŝ_t(f_t) / T))   (Eq. 3)
///
/// where `Ŝ_t` is the fine-tuned teacher softmax (``TeacherSoftmaxFineTuning``), frozen here. Trains on a
/// ``FeatureRowSource`` loader. Module: `adaptation`; logs `classification`, `distillation` and `accuracy`.
public final class CrossDatasetDistillation: LossObjective {
    /// The module being trained.
    public let adaptation: AdaptationModule
    /// The fine-tuned teacher softmax; frozen, kept out of ``modules``.
    public let teacherSoftmax: MarginSoftmax
    /// Teacher features `[N, D]`, one row per training sample.
    public let features: Tensor
    /// The distillation term (Eq. 3) with its temperature T.
    public let distillation: KnowledgeDistillationLoss
    /// λ, the weight of the distillation term.
    public let distillationWeight: Double

    /// An objective adapting `teacher`'s features under the fine-tuned `teacherSoftmax`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the softmax does not take the teacher's dimension or
    ///   λ is negative or not finite.
    public init(teacher: TeacherFeatures, teacherSoftmax: MarginSoftmax, adaptation: AdaptationModule,
                temperature: Double, distillationWeight: Double) throws {
        guard teacherSoftmax.embeddingSize == teacher.dimension,
              adaptation.hidden.inFeatures == teacher.dimension,
              adaptation.classifier.classes == teacherSoftmax.classes
        else {
            throw DataError.invalidArgument("the teacher features are \(teacher.dimension)-D, its softmax takes "
                + "\(teacherSoftmax.embeddingSize)-D features of \(teacherSoftmax.classes) classes, the adaptation module "
                + "\(adaptation.hidden.inFeatures)-D of \(adaptation.classifier.classes) classes; they must agree")
        }
        guard temperature > 0, temperature.isFinite else {
            throw DataError.invalidArgument("the temperature must be positive and finite, got \(temperature)")
        }
        guard distillationWeight >= 0, distillationWeight.isFinite else {
            throw DataError.invalidArgument("λ must be finite and ≥ 0, got \(distillationWeight)")
        }
        features = try teacher.tensor()
        self.teacherSoftmax = teacherSoftmax
        self.adaptation = adaptation
        distillation = KnowledgeDistillationLoss(temperature: temperature)
        self.distillationWeight = distillationWeight
        teacherSoftmax.eval()
    }

    /// The trained module.
    public var modules: [String: Module] { ["adaptation": adaptation] }

    /// Eq. 1 on the batch's teacher features.
    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        try withTorchErrors {
            let rows = features.indexSelect(0, Tensor(batch.indices.map(Int64.init)))
            return losses(teacherFeatures: rows, labels: batch.labels)
        }
    }

    /// Eq. 1 for teacher features `[N, D]` and labels `[N]`: `loss`, `classification` (C), `distillation` (D)
    /// and `accuracy`.
    public func losses(teacherFeatures: Tensor, labels: Tensor) -> [String: Tensor] {
        let logits = adaptation.logits(teacherFeatures)
        let teacherLogits = withoutGrad { teacherSoftmax(teacherFeatures) }
        let classification = Functional.crossEntropy(logits, target: labels)
        let distilled = distillation(student: logits, teacher: teacherLogits)
        return ["loss": classification + distilled * distillationWeight, "classification": classification,
                "distillation": distilled, "accuracy": BridgeDistillationMetrics.accuracy(logits, labels: labels)]
    }

    /// The adapted features `f_a` of every training sample, `[N, 128]` row by row, with the module in
    /// evaluation mode.
    public func adaptedFeatures() throws -> FeatureMatrix {
        adaptation.eval()
        defer { adaptation.train() }
        let adapted = try withoutGrad { try withTorchErrors { adaptation(features) } }
        return try FeatureMatrix(rows: adapted.size(0), columns: adapted.size(1),
                                 values: adapted.contiguous().array(of: Float.self))
    }
}
