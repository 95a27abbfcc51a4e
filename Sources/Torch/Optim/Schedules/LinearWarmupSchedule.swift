/// A linear warmup followed by another schedule, as PyTorch's
/// `SequentialLR([LinearLR(start_factor, total_iters: steps), following], milestones: [steps])`.
///
/// For `step < steps` the rate climbs linearly, `base · (startFactor + (1 − startFactor) · step / steps)`;
/// from `steps` on it is `following` evaluated at `step − steps`, so the following schedule starts from its own
/// beginning (the base rate) when the warmup ends.
public struct LinearWarmupSchedule<Following: LearningRateSchedule>: LearningRateSchedule {
    /// Length of the warmup; 0 means none.
    public let steps: Int
    /// Fraction of the base rate at step 0 (PyTorch's `start_factor`).
    public let startFactor: Double
    /// The schedule after the warmup.
    public let following: Following

    /// A warmup of `steps` steps from `startFactor · base` into `following`; throws if `steps` is negative or
    /// `startFactor` is outside [0, 1].
    public init(steps: Int, startFactor: Double = 0.1, then following: Following) throws(OptimizerError) {
        guard steps >= 0 else {
            throw .invalidHyperparameter(name: "warmup steps", value: Double(steps), requirement: ">= 0")
        }
        guard startFactor >= 0, startFactor <= 1 else {
            throw .invalidHyperparameter(name: "warmup start factor", value: startFactor, requirement: "in [0, 1]")
        }
        self.steps = steps
        self.startFactor = startFactor
        self.following = following
    }

    /// The warmup rate before `steps`, then `following` shifted by `steps`.
    public func learningRate(at step: Int, base: Double) -> Double {
        let step = max(step, 0)
        guard step < steps else { return following.learningRate(at: step - steps, base: base) }
        return base * (startFactor + (1.0 - startFactor) * Double(step) / Double(steps))
    }
}

extension LinearWarmupSchedule where Following == ConstantSchedule {
    /// A warmup into the constant base rate.
    public init(steps: Int, startFactor: Double = 0.1) throws(OptimizerError) {
        try self.init(steps: steps, startFactor: startFactor, then: ConstantSchedule())
    }
}

extension LearningRateSchedule {
    /// This schedule preceded by a linear warmup of `steps` steps starting at `startFactor · base`.
    public func withLinearWarmup(steps: Int, startFactor: Double = 0.1) throws(OptimizerError)
        -> LinearWarmupSchedule<Self>
    {
        try LinearWarmupSchedule(steps: steps, startFactor: startFactor, then: self)
    }
}
