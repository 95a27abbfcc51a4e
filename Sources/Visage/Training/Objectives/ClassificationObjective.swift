import Torch

/// Face recognition training: a backbone's embeddings classified by a margin-softmax head (ArcFace and kin).
///
/// When the loader makes a hard view of each face (``Batch/hardImages``), both views are classified in one
/// pass, so that a comparison with ``DistributionDistillationObjective`` differs only by the distillation term.
public final class ClassificationObjective: LossObjective {
    public let backbone: Module
    public let head: any ClassificationHead

    public init(backbone: Module, head: any ClassificationHead) {
        self.backbone = backbone
        self.head = head
    }

    public var modules: [String: Module] { ["backbone": backbone, "head": head] }

    /// The backbone: arcface_torch clips its gradient alone, not the head's.
    public var clippedModules: Set<String> { ["backbone"] }

    /// The head when it is this rank's share of the class centers (Partial FC).
    public var shardedModules: Set<String> { head.isSharded ? ["head"] : [] }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let (images, labels) = batch.allViews
        return ["loss": try head.classificationLoss(backbone(images), labels: labels)]
    }
}
