import Foundation

/// Cosine annealing from the base learning rate down to a minimum over `period` steps (PyTorch's
/// `CosineAnnealingLR`, closed form): `lr = min + (base − min) · (1 + cos(π · step / period)) / 2`.
///
/// As in PyTorch the curve is periodic: past `period` it rises again. Set `period` to the number of steps the
/// schedule should cover.
public struct CosineAnnealingSchedule: LearningRateSchedule {
    /// Steps from the base rate to the minimum (PyTorch's `T_max`).
    public let period: Int
    /// The learning rate reached at `period` (PyTorch's `eta_min`).
    public let minimumLearningRate: Double

    /// A cosine schedule; throws if `period` is not positive.
    public init(period: Int, minimumLearningRate: Double = 0) throws(OptimizerError) {
        guard period > 0 else {
            throw .invalidHyperparameter(name: "cosine annealing period", value: Double(period), requirement: "> 0")
        }
        self.period = period
        self.minimumLearningRate = minimumLearningRate
    }

    /// `min + (base − min) · (1 + cos(π · step / period)) / 2`.
    public func learningRate(at step: Int, base: Double) -> Double {
        let step = Double(max(step, 0))
        return minimumLearningRate
            + (base - minimumLearningRate) * (1 + Foundation.cos(Double.pi * step / Double(period))) / 2
    }
}
