import Torch

/// An objective with one loss, descended by one SGD over every parameter of its modules as arcface_torch's
/// `train_v2.py` does: the configuration's learning rate, momentum and weight decay (with
/// ``TrainingConfig/exemptNormAndBiasFromDecay`` the biases and norm weights undecayed), and gradient clipping
/// to ``TrainingConfig/gradientClipNorm`` over the modules ``clippedModules`` names.
///
/// ```swift
/// final class Classification: LossObjective {
///     let backbone: Module, head: MarginSoftmax
///     var modules: [String: Module] { ["backbone": backbone, "head": head] }
///     var clippedModules: Set<String> { ["backbone"] }   // arcface_torch clips the backbone only
///     func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
///         ["loss": head.loss(backbone(batch.images), labels: batch.labels)]
///     }
/// }
/// ```
public protocol LossObjective: TrainingObjective {
    /// The scalar losses of `batch` at training step `step` (0-based), computed with gradients recorded.
    ///
    /// The trainer back-propagates the value under `"loss"` and logs the others (its parts, accuracies); every
    /// value must be a one-element tensor. Throw for problems the data can cause (a label out of range).
    func losses(on batch: Batch, step: Int) throws -> [String: Tensor]

    /// The modules whose gradients are clipped together (one total norm) when the configuration clips
    /// (default: every module). arcface_torch clips only the backbone's (`clip_grad_norm_(backbone.parameters(),
    /// max_norm=5)`), never the margin-softmax head's.
    var clippedModules: Set<String> { get }
}

extension LossObjective {
    public var clippedModules: Set<String> { Set(modules.keys) }

    /// One update: SGD over every module's parameters (module name + "." + parameter name), named `loss`;
    /// the parameters of ``TrainingObjective/shardedModules``, if any, under a second SGD with the same settings,
    /// `sharded_optimizer`, whose state is each rank's own.
    public func updates(config: TrainingConfig) throws -> [TrainingUpdate] {
        let modules = self.modules
        let settings = SGD.Hyperparameters(
            learningRate: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay)
        func sgd(_ selected: [String: Module]) throws -> SGD {
            let named = selected.sorted { $0.key < $1.key }.flatMap { name, module in
                module.namedParameters().map { (name: name + "." + $0.0, tensor: $0.1) }
            }
            return try SGD(groups: config.exemptNormAndBiasFromDecay
                ? WeightDecaySplit(named).groups(settings) : [ParameterGroup(named, settings)])
        }
        let sharded = shardedModules
        var optimizers: [String: any Optimizer] = ["optimizer": try sgd(modules.filter { !sharded.contains($0.key) })]
        if !sharded.isEmpty { optimizers["sharded_optimizer"] = try sgd(modules.filter { sharded.contains($0.key) }) }
        let clipped = modules.filter { clippedModules.contains($0.key) }.sorted { $0.key < $1.key }
            .flatMap { $0.value.parameters() }
        return [TrainingUpdate(name: "loss", optimizers: optimizers, clippedParameters: clipped) {
            batch, step in try self.losses(on: batch, step: step)
        }]
    }
}
