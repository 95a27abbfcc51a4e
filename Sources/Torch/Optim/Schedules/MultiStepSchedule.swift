import Foundation

/// The base learning rate multiplied by `gamma` at each milestone (PyTorch's `MultiStepLR`):
/// `lr = base · gamma^(number of milestones ≤ step)`.
public struct MultiStepSchedule: LearningRateSchedule {
    /// Steps at which the rate drops, sorted; a milestone listed twice drops it twice, as in PyTorch.
    public let milestones: [Int]
    /// Factor applied at each milestone.
    public let gamma: Double

    /// A schedule dropping by `gamma` at each of `milestones` (in any order).
    public init(milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    /// `base · gamma^k` with `k` the number of milestones at or before `step`.
    public func learningRate(at step: Int, base: Double) -> Double {
        let step = max(step, 0)
        let passed = milestones.count { $0 <= step }
        return base * Foundation.pow(gamma, Double(passed))
    }
}
