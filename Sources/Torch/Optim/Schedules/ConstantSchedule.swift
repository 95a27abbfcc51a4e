/// The base learning rate at every step (the schedule after a warmup that needs no decay).
public struct ConstantSchedule: LearningRateSchedule {
    /// The constant schedule.
    public init() {}

    /// `base`, whatever the step.
    public func learningRate(at step: Int, base: Double) -> Double { base }
}
