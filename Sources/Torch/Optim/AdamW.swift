/// Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's `torch.optim.AdamW`.
public typealias AdamW = GradientOptimizer<AdamWRule>

/// The update of `torch.optim.AdamW` in PyTorch 1.13: the parameter is first shrunk,
/// `param *= 1 − lr · weight_decay`, then the Adam step runs on the undecayed gradient (see ``AdamRule``).
public enum AdamWRule: UpdateRule {
    /// The settings of one AdamW parameter group (the same as Adam's).
    public typealias Hyperparameters = AdamHyperparameters
    /// AdamW's memory of one parameter (the same as Adam's).
    public typealias ParameterState = AdamParameterState

    /// "AdamW".
    public static var name: String { "AdamW" }

    /// One AdamW step, operation for operation as PyTorch 1.13's `_single_tensor_adamw`.
    public static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout AdamParameterState?, hyperparameters: AdamHyperparameters
    ) {
        AdamRule.update(parameter, gradient: gradient, state: &state, hyperparameters: hyperparameters,
                        decoupledWeightDecay: true)
    }
}

extension GradientOptimizer where Rule == AdamWRule {
    /// AdamW over `parameters` with PyTorch's arguments (weight decay 0.01 by default); throws for invalid
    /// settings or a repeated parameter.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(parameters, AdamHyperparameters(
            learningRate: learningRate, beta1: betas.0, beta2: betas.1, eps: eps, weightDecay: weightDecay,
            amsgrad: amsgrad, maximize: maximize))
    }
}
