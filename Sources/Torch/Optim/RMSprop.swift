/// RMSprop with optional momentum, centering and weight decay (PyTorch's `torch.optim.RMSprop`).
public typealias RMSprop = GradientOptimizer<RMSpropRule>

/// The update of `torch.optim.RMSprop` in PyTorch 1.13:
///
/// ```
/// g = grad + weight_decay · param                    (negated grad when maximizing)
/// v = α · v + (1 − α) · g²
/// centered: ḡ = α · ḡ + (1 − α) · g,  avg = √(v − ḡ²) + eps;  else avg = √v + eps
/// momentum > 0: buf = momentum · buf + g / avg,  param −= lr · buf
/// else:         param −= lr · g / avg
/// ```
public enum RMSpropRule: UpdateRule {
    /// The settings of one RMSprop parameter group.
    public struct Hyperparameters: OptimizerHyperparameters {
        /// Step size (`lr`).
        public var learningRate: Double
        /// Smoothing constant of the squared-gradient average.
        public var alpha: Double
        /// Added to the denominator for numerical stability.
        public var eps: Double
        /// L2 penalty added to the gradient.
        public var weightDecay: Double
        /// Momentum factor; 0 turns momentum off.
        public var momentum: Double
        /// Normalise by an estimate of the gradient's variance instead of its second moment.
        public var centered: Bool
        /// Ascend instead of descend.
        public var maximize: Bool

        /// RMSprop settings; the defaults are PyTorch's.
        public init(
            learningRate: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
            momentum: Double = 0, centered: Bool = false, maximize: Bool = false
        ) {
            self.learningRate = learningRate
            self.alpha = alpha
            self.eps = eps
            self.weightDecay = weightDecay
            self.momentum = momentum
            self.centered = centered
            self.maximize = maximize
        }

        /// Every setting under PyTorch's parameter-group key.
        public static var fields: [HyperparameterField<Self>] {
            [
                .number("lr", \.learningRate), .number("alpha", \.alpha), .number("eps", \.eps),
                .number("weight_decay", \.weightDecay), .number("momentum", \.momentum),
                .flag("centered", \.centered), .flag("maximize", \.maximize),
            ]
        }

        /// Throws for a negative learning rate, alpha, eps, momentum or weight decay.
        public func validate() throws(OptimizerError) {
            try HyperparameterCheck.nonNegative("learning rate", learningRate)
            try HyperparameterCheck.nonNegative("eps", eps)
            try HyperparameterCheck.nonNegative("momentum", momentum)
            try HyperparameterCheck.nonNegative("weight decay", weightDecay)
            try HyperparameterCheck.nonNegative("alpha", alpha)
        }
    }

    /// RMSprop's memory of one parameter.
    public struct ParameterState: OptimizerParameterState {
        /// Steps taken for this parameter (kept for PyTorch parity; the update does not use it).
        public var step: Int
        /// Running average of squared gradients (`square_avg`).
        public var squareAvg: Tensor
        /// Momentum buffer (`momentum_buffer`), kept when momentum > 0.
        public var momentumBuffer: Tensor?
        /// Running average of gradients (`grad_avg`), kept when centered.
        public var gradAvg: Tensor?

        /// `square_avg`, and `momentum_buffer` and `grad_avg` when kept.
        public var savedTensors: [(key: String, tensor: Tensor)] {
            var saved = [(key: "square_avg", tensor: squareAvg)]
            if let momentumBuffer { saved.append(("momentum_buffer", momentumBuffer)) }
            if let gradAvg { saved.append(("grad_avg", gradAvg)) }
            return saved
        }

        /// `step`.
        public var savedScalars: [(key: String, value: Double)] { [("step", Double(step))] }

        /// Restores the entries; `momentum_buffer` is required with momentum and `grad_avg` when centered.
        public init(restoring entries: inout ParameterStateEntries, hyperparameters: Hyperparameters)
            throws(OptimizerError)
        {
            step = try entries.takeCount("step")
            squareAvg = try entries.takeTensor("square_avg")
            momentumBuffer = hyperparameters.momentum > 0
                ? try entries.takeTensor("momentum_buffer") : try entries.takeOptionalTensor("momentum_buffer")
            gradAvg = hyperparameters.centered
                ? try entries.takeTensor("grad_avg") : try entries.takeOptionalTensor("grad_avg")
        }

        /// Zeroed state for `parameter`'s first step.
        init(zeroedFor parameter: Tensor, settings: Hyperparameters) {
            step = 0
            squareAvg = parameter.zerosLike()
            momentumBuffer = settings.momentum > 0 ? parameter.zerosLike() : nil
            gradAvg = settings.centered ? parameter.zerosLike() : nil
        }
    }

    /// "RMSprop".
    public static var name: String { "RMSprop" }

    /// One RMSprop step, operation for operation as PyTorch 1.13's `_single_tensor_rmsprop`.
    public static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout ParameterState?, hyperparameters settings: Hyperparameters
    ) {
        var current = state ?? ParameterState(zeroedFor: parameter, settings: settings)
        current.step += 1
        var grad = settings.maximize ? -gradient : gradient
        if settings.weightDecay != 0 {
            grad = grad.adding(parameter, alpha: settings.weightDecay)
        }

        current.squareAvg.mul_(settings.alpha).addcmul_(grad, grad, value: 1 - settings.alpha)

        let average: Tensor
        if settings.centered {
            // Settings changed after the first step start a missing buffer from zero.
            let gradAvg = current.gradAvg ?? parameter.zerosLike()
            current.gradAvg = gradAvg
            gradAvg.mul_(settings.alpha).add_(grad, alpha: 1 - settings.alpha)
            average = current.squareAvg.addingProduct(gradAvg, gradAvg, value: -1).sqrt()
        } else {
            average = current.squareAvg.sqrt()
        }
        average.add_(settings.eps)

        if settings.momentum > 0 {
            let buffer = current.momentumBuffer ?? parameter.zerosLike()
            current.momentumBuffer = buffer
            buffer.mul_(settings.momentum).addcdiv_(grad, average)
            parameter.add_(buffer, alpha: -settings.learningRate)
        } else {
            parameter.addcdiv_(grad, average, value: -settings.learningRate)
        }
        state = current
    }
}

extension GradientOptimizer where Rule == RMSpropRule {
    /// RMSprop over `parameters` with PyTorch's arguments; throws for invalid settings or a repeated parameter.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(parameters, RMSpropRule.Hyperparameters(
            learningRate: learningRate, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
            centered: centered, maximize: maximize))
    }
}
