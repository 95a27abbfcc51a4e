import Torch

/// Face recognition training: a backbone's embeddings classified by a margin-softmax head (ArcFace and kin).
///
/// When the loader makes a hard view of each face (``Batch/hardImages``), both views are classified in one
/// pass, so that a comparison with ``DistributionDistillationObjective`` differs only by the distillation term.
public final class ClassificationObjective: LossObjective {
    public let backbone: Module
    public let head: MarginSoftmax

    public init(backbone: Module, head: MarginSoftmax) {
        self.backbone = backbone
        self.head = head
    }

    public var modules: [String: Module] { ["backbone": backbone, "head": head] }

    /// The backbone: arcface_torch clips its gradient alone, not the head's.
    public var clippedModules: Set<String> { ["backbone"] }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let (images, labels) = batch.allViews
        return ["loss": head.loss(backbone(images), labels: labels)]
    }
}
