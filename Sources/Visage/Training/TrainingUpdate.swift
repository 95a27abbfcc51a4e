import Torch

/// One descent within a training step: a loss, and the optimizers that step on its gradients.
///
/// Per step the ``Trainer`` runs each update of the objective in order: it clears every gradient, computes the
/// update's losses, stops on a non-finite one, back-propagates `"loss"`, clips ``clippedParameters`` when the
/// configuration clips, and steps ``optimizers`` — so a later update sees the weights an earlier one changed,
/// as Algorithm 1 of R³AN needs.
public struct TrainingUpdate {
    /// The update's name; with several updates in a step it names the update's `"loss"` in the log.
    public var name: String
    /// The optimizers by name, each saved in checkpoints as `NAME.safetensors`; names must be unique across the
    /// objective's updates and differ from its module names.
    public var optimizers: [String: any Optimizer]
    /// The parameters whose gradients are clipped to one total norm when the configuration clips.
    public var clippedParameters: [Tensor]
    /// The losses of a batch at a step, `"loss"` the one descended, the others logged.
    public var losses: (_ batch: Batch, _ step: Int) throws -> [String: Tensor]

    public init(
        name: String, optimizers: [String: any Optimizer], clippedParameters: [Tensor] = [],
        losses: @escaping (_ batch: Batch, _ step: Int) throws -> [String: Tensor]
    ) {
        self.name = name
        self.optimizers = optimizers
        self.clippedParameters = clippedParameters
        self.losses = losses
    }
}
