import Torch

/// Margin-softmax classification of both views plus the Distribution Distillation Loss from the easy view of
/// each face (teacher) to its hard view (student), as Huang et al. train.
public final class DistributionDistillationObjective: LossObjective {
    public let backbone: Module
    public let head: any ClassificationHead
    public let distillation: DistributionDistillationLoss

    public init(backbone: Module, head: any ClassificationHead, distillation: DistributionDistillationLoss) {
        self.backbone = backbone
        self.head = head
        self.distillation = distillation
    }

    public var modules: [String: Module] { ["backbone": backbone, "head": head] }

    /// The backbone: arcface_torch clips its gradient alone, not the head's.
    public var clippedModules: Set<String> { ["backbone"] }

    /// The head when it is this rank's share of the class centers (Partial FC).
    public var shardedModules: Set<String> { head.isSharded ? ["head"] : [] }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        guard batch.hardImages != nil else { throw TrainingError.missingHardView }
        let (images, labels) = batch.allViews
        let embeddings = backbone(images)
        let count = batch.labels.shape[0]
        let classification = try head.classificationLoss(embeddings, labels: labels)
        let terms = distillation(easy: embeddings[0..<count], easyLabels: batch.labels,
                                 hard: embeddings[count...], hardLabels: batch.labels)
        return [
            "loss": classification + terms.total,
            "classification": classification,
            "ddl_positive_kl": terms.positiveKL,
            "ddl_negative_kl": terms.negativeKL,
            "ddl_order": terms.order,
        ]
    }
}
