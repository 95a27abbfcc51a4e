/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay
/// (PyTorch's `torch.optim.SGD`).
public typealias SGD = GradientOptimizer<SGDRule>

/// The update of `torch.optim.SGD` in PyTorch 1.13:
///
/// ```
/// g = grad (+ weight_decay · param)                  negated first when maximizing
/// buf = g on the first step, else momentum · buf + (1 − dampening) · g
/// g = g + momentum · buf (Nesterov) or buf           when momentum ≠ 0
/// param −= lr · g
/// ```
public enum SGDRule: UpdateRule {
    /// The settings of one SGD parameter group.
    public struct Hyperparameters: OptimizerHyperparameters {
        /// Step size (`lr`).
        public var learningRate: Double
        /// Momentum factor; 0 turns momentum off.
        public var momentum: Double
        /// Dampening of the gradient's contribution to the momentum buffer.
        public var dampening: Double
        /// L2 penalty added to the gradient.
        public var weightDecay: Double
        /// Nesterov momentum (needs momentum > 0 and dampening 0).
        public var nesterov: Bool
        /// Ascend instead of descend.
        public var maximize: Bool

        /// SGD settings; the defaults are PyTorch's.
        public init(
            learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
            nesterov: Bool = false, maximize: Bool = false
        ) {
            self.learningRate = learningRate
            self.momentum = momentum
            self.dampening = dampening
            self.weightDecay = weightDecay
            self.nesterov = nesterov
            self.maximize = maximize
        }

        /// Every setting under PyTorch's parameter-group key.
        public static var fields: [HyperparameterField<Self>] {
            [
                .number("lr", \.learningRate), .number("momentum", \.momentum), .number("dampening", \.dampening),
                .number("weight_decay", \.weightDecay), .flag("nesterov", \.nesterov), .flag("maximize", \.maximize),
            ]
        }

        /// Throws for a negative learning rate, momentum or weight decay, or Nesterov without plain momentum.
        public func validate() throws(OptimizerError) {
            try HyperparameterCheck.nonNegative("learning rate", learningRate)
            try HyperparameterCheck.nonNegative("momentum", momentum)
            try HyperparameterCheck.nonNegative("weight decay", weightDecay)
            if nesterov && (momentum <= 0 || dampening != 0) {
                throw .invalidNesterov(momentum: momentum, dampening: dampening)
            }
        }
    }

    /// SGD's memory of one parameter: its momentum buffer (only kept when momentum is on).
    public struct ParameterState: OptimizerParameterState {
        /// The running momentum of the (decayed) gradient.
        public var momentumBuffer: Tensor

        /// The `momentum_buffer` entry.
        public var savedTensors: [(key: String, tensor: Tensor)] { [("momentum_buffer", momentumBuffer)] }
        /// None: SGD counts no steps.
        public var savedScalars: [(key: String, value: Double)] { [] }

        /// Restores the `momentum_buffer` entry.
        public init(restoring entries: inout ParameterStateEntries, hyperparameters: Hyperparameters)
            throws(OptimizerError)
        {
            momentumBuffer = try entries.takeTensor("momentum_buffer")
        }

        init(momentumBuffer: Tensor) {
            self.momentumBuffer = momentumBuffer
        }
    }

    /// "SGD".
    public static var name: String { "SGD" }

    /// One SGD step, operation for operation as PyTorch 1.13's `_single_tensor_sgd`.
    public static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout ParameterState?, hyperparameters: Hyperparameters
    ) {
        let settings = hyperparameters
        var direction = settings.maximize ? -gradient : gradient
        if settings.weightDecay != 0 {
            direction = direction.adding(parameter, alpha: settings.weightDecay)
        }
        if settings.momentum != 0 {
            let buffer: Tensor
            if let existing = state?.momentumBuffer {
                buffer = existing
                buffer.mul_(settings.momentum).add_(direction, alpha: 1 - settings.dampening)
            } else {
                buffer = direction.clone().detached()
                state = ParameterState(momentumBuffer: buffer)
            }
            direction = settings.nesterov ? direction.adding(buffer, alpha: settings.momentum) : buffer
        }
        parameter.add_(direction, alpha: -settings.learningRate)
    }
}

extension GradientOptimizer where Rule == SGDRule {
    /// SGD over `parameters` with PyTorch's arguments; throws for invalid settings or a repeated parameter.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(parameters, SGDRule.Hyperparameters(
            learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
            nesterov: nesterov, maximize: maximize))
    }
}
