/// A learning rate as a function of the step: `lr = f(step, base)`, with no state of its own.
///
/// "Step" is whatever unit the training loop counts — iterations or epochs — starting from 0 for the first one;
/// a schedule's value at step `t` is the learning rate to use *for* step `t`, like PyTorch's scheduler after `t`
/// calls of `scheduler.step()`. Because nothing is stored, a resumed run only needs its step counter to get the
/// identical learning rate. Steps before 0 count as 0.
///
/// ```swift
/// let schedule = try CosineAnnealingSchedule(period: totalSteps - 500).withLinearWarmup(steps: 500)
/// for step in start..<totalSteps {
///     schedule.apply(to: optimizer, at: step)
///     …; optimizer.step()
/// }
/// ```
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for `step` of a parameter group whose base learning rate is `base`.
    func learningRate(at step: Int, base: Double) -> Double
}

extension LearningRateSchedule {
    /// Sets every group's learning rate to this schedule's value at `step`, scaling the group's own base rate.
    public func apply(to optimizer: any Optimizer, at step: Int) {
        optimizer.learningRates = learningRates(for: optimizer, at: step)
    }

    /// The learning rate each of `optimizer`'s groups would get at `step`.
    public func learningRates(for optimizer: any Optimizer, at step: Int) -> [Double] {
        optimizer.baseLearningRates.map { learningRate(at: step, base: $0) }
    }
}
