import Foundation

/// Adam with bias-corrected moment estimates, L2 weight decay added to the gradient, and optional AMSGrad
/// (PyTorch's `torch.optim.Adam`). For decoupled weight decay use ``AdamW``.
public typealias Adam = GradientOptimizer<AdamRule>

/// The settings of one Adam or AdamW parameter group.
public struct AdamHyperparameters: OptimizerHyperparameters {
    /// Step size (`lr`).
    public var learningRate: Double
    /// Decay rate of the first-moment (mean) estimate.
    public var beta1: Double
    /// Decay rate of the second-moment (uncentered variance) estimate.
    public var beta2: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Weight decay: an L2 term added to the gradient (Adam) or a shrinking of the parameter (AdamW).
    public var weightDecay: Double
    /// Normalise by the largest second moment seen so far (AMSGrad).
    public var amsgrad: Bool
    /// Ascend instead of descend.
    public var maximize: Bool

    /// Adam settings; the defaults are PyTorch's `Adam` defaults (AdamW's initialiser defaults weight decay to 0.01).
    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
    }

    /// Every setting under PyTorch's parameter-group key (PyTorch's `betas` pair as `beta1` and `beta2`).
    public static var fields: [HyperparameterField<Self>] {
        [
            .number("lr", \.learningRate), .number("beta1", \.beta1), .number("beta2", \.beta2),
            .number("eps", \.eps), .number("weight_decay", \.weightDecay), .flag("amsgrad", \.amsgrad),
            .flag("maximize", \.maximize),
        ]
    }

    /// Throws for a negative learning rate, eps or weight decay, or a beta outside [0, 1).
    public func validate() throws(OptimizerError) {
        try HyperparameterCheck.nonNegative("learning rate", learningRate)
        try HyperparameterCheck.nonNegative("eps", eps)
        try HyperparameterCheck.unitInterval("beta1", beta1)
        try HyperparameterCheck.unitInterval("beta2", beta2)
        try HyperparameterCheck.nonNegative("weight decay", weightDecay)
    }
}

/// Adam's and AdamW's memory of one parameter.
public struct AdamParameterState: OptimizerParameterState {
    /// Steps taken for this parameter (the exponent of the bias corrections).
    public var step: Int
    /// First-moment estimate (`exp_avg`).
    public var expAvg: Tensor
    /// Second-moment estimate (`exp_avg_sq`).
    public var expAvgSq: Tensor
    /// Largest second moment so far (`max_exp_avg_sq`), kept with AMSGrad.
    public var maxExpAvgSq: Tensor?

    /// `exp_avg`, `exp_avg_sq` and, with AMSGrad, `max_exp_avg_sq`.
    public var savedTensors: [(key: String, tensor: Tensor)] {
        [("exp_avg", expAvg), ("exp_avg_sq", expAvgSq)] + (maxExpAvgSq.map { [("max_exp_avg_sq", $0)] } ?? [])
    }

    /// `step`.
    public var savedScalars: [(key: String, value: Double)] { [("step", Double(step))] }

    /// Restores the entries; `max_exp_avg_sq` is required when the group uses AMSGrad.
    public init(restoring entries: inout ParameterStateEntries, hyperparameters: AdamHyperparameters)
        throws(OptimizerError)
    {
        step = try entries.takeCount("step")
        expAvg = try entries.takeTensor("exp_avg")
        expAvgSq = try entries.takeTensor("exp_avg_sq")
        maxExpAvgSq = hyperparameters.amsgrad
            ? try entries.takeTensor("max_exp_avg_sq") : try entries.takeOptionalTensor("max_exp_avg_sq")
    }

    /// Zeroed state for `parameter`'s first step.
    init(zeroedFor parameter: Tensor, amsgrad: Bool) {
        step = 0
        expAvg = parameter.zerosLike()
        expAvgSq = parameter.zerosLike()
        maxExpAvgSq = amsgrad ? parameter.zerosLike() : nil
    }
}

/// The update of `torch.optim.Adam` in PyTorch 1.13:
///
/// ```
/// step += 1
/// g = grad + weight_decay · param                    (negated grad when maximizing)
/// m = β₁ · m + (1 − β₁) · g
/// v = β₂ · v + (1 − β₂) · g²
/// v̂ = max(v̂, v) with AMSGrad, else v
/// param −= lr / (1 − β₁^step) · m / (√v̂ / √(1 − β₂^step) + eps)
/// ```
public enum AdamRule: UpdateRule {
    /// The settings of one Adam parameter group.
    public typealias Hyperparameters = AdamHyperparameters
    /// Adam's memory of one parameter.
    public typealias ParameterState = AdamParameterState

    /// "Adam".
    public static var name: String { "Adam" }

    /// One Adam step, operation for operation as PyTorch 1.13's `_single_tensor_adam`.
    public static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout AdamParameterState?, hyperparameters: AdamHyperparameters
    ) {
        update(parameter, gradient: gradient, state: &state, hyperparameters: hyperparameters,
               decoupledWeightDecay: false)
    }

    /// The Adam step shared with AdamW, which shrinks the parameter instead of adding decay to the gradient.
    static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout AdamParameterState?,
        hyperparameters settings: AdamHyperparameters, decoupledWeightDecay: Bool
    ) {
        var current = state ?? AdamParameterState(zeroedFor: parameter, amsgrad: settings.amsgrad)
        var grad = settings.maximize ? -gradient : gradient
        current.step += 1
        if decoupledWeightDecay {
            parameter.mul_(1 - settings.learningRate * settings.weightDecay)
        } else if settings.weightDecay != 0 {
            grad = grad.adding(parameter, alpha: settings.weightDecay)
        }

        current.expAvg.mul_(settings.beta1).add_(grad, alpha: 1 - settings.beta1)
        current.expAvgSq.mul_(settings.beta2).addcmul_(grad, grad, value: 1 - settings.beta2)

        let step = Double(current.step)
        let biasCorrection1 = 1 - Foundation.pow(settings.beta1, step)
        let biasCorrection2 = 1 - Foundation.pow(settings.beta2, step)
        let stepSize = settings.learningRate / biasCorrection1
        let biasCorrection2Sqrt = biasCorrection2.squareRoot()

        let denominator: Tensor
        if settings.amsgrad {
            // A group switched to AMSGrad after its first step starts the running maximum from zero.
            let maximum = current.maxExpAvgSq ?? parameter.zerosLike()
            maximum.copy_(Tensor.maximum(maximum, current.expAvgSq))
            current.maxExpAvgSq = maximum
            denominator = (maximum.sqrt() / biasCorrection2Sqrt).add_(settings.eps)
        } else {
            denominator = (current.expAvgSq.sqrt() / biasCorrection2Sqrt).add_(settings.eps)
        }
        parameter.addcdiv_(current.expAvg, denominator, value: -stepSize)
        state = current
    }
}

extension GradientOptimizer where Rule == AdamRule {
    /// Adam over `parameters` with PyTorch's arguments; throws for invalid settings or a repeated parameter.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(parameters, AdamHyperparameters(
            learningRate: learningRate, beta1: betas.0, beta2: betas.1, eps: eps, weightDecay: weightDecay,
            amsgrad: amsgrad, maximize: maximize))
    }
}
