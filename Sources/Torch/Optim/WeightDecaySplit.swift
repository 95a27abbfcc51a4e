/// Named parameters divided into those that get weight decay and those exempt from it.
///
/// The default rule exempts every tensor of rank ≤ 1 — biases and the weights of BatchNorm and PReLU layers —
/// as timm's `param_groups_weight_decay` does, so that decay pulls only convolution and linear weights towards
/// zero. Not every recipe does this: arcface_torch's `train_v2.py` decays every parameter, biases and norms
/// included.
public struct WeightDecaySplit {
    /// Parameters that keep the optimizer's weight decay.
    public var decay: [(name: String, tensor: Tensor)]
    /// Parameters that get no weight decay.
    public var noDecay: [(name: String, tensor: Tensor)]

    /// The default exemption rule: tensors of rank ≤ 1 (biases, normalisation and PReLU weights).
    public static func isLowRank(name: String, tensor: Tensor) -> Bool { tensor.rank <= 1 }

    /// Splits `named` in order, putting a parameter in ``noDecay`` when `exempt(name, tensor)` is true.
    public init(
        _ named: [(name: String, tensor: Tensor)],
        exempt: (_ name: String, _ tensor: Tensor) -> Bool = WeightDecaySplit.isLowRank
    ) {
        decay = []
        noDecay = []
        for entry in named {
            if exempt(entry.name, entry.tensor) {
                noDecay.append(entry)
            } else {
                decay.append(entry)
            }
        }
    }

    /// Two parameter groups: ``decay`` with `hyperparameters`, then ``noDecay`` with the same settings but
    /// weight decay 0. Either group may be empty.
    public func groups<Hyperparameters>(_ hyperparameters: Hyperparameters) -> [ParameterGroup<Hyperparameters>] {
        [
            ParameterGroup(decay, hyperparameters),
            ParameterGroup(noDecay, hyperparameters.with { $0.weightDecay = 0 }),
        ]
    }
}
