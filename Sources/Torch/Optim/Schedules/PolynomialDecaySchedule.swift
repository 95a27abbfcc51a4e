import Foundation

/// Polynomial decay from the base learning rate to zero over `totalSteps` (PyTorch's `PolynomialLR`, closed
/// form): `lr = base · (1 − min(step, totalSteps) / totalSteps)^power`, then 0.
public struct PolynomialDecaySchedule: LearningRateSchedule {
    /// Steps until the rate reaches zero (PyTorch's `total_iters`).
    public let totalSteps: Int
    /// Exponent of the decay; 1 is linear.
    public let power: Double

    /// A polynomial decay; throws if `totalSteps` is not positive.
    public init(totalSteps: Int, power: Double = 1) throws(OptimizerError) {
        guard totalSteps > 0 else {
            throw .invalidHyperparameter(name: "polynomial decay steps", value: Double(totalSteps), requirement: "> 0")
        }
        self.totalSteps = totalSteps
        self.power = power
    }

    /// `base · (1 − min(step, totalSteps) / totalSteps)^power`.
    public func learningRate(at step: Int, base: Double) -> Double {
        let step = max(step, 0)
        return base * Foundation.pow(1.0 - Double(min(totalSteps, step)) / Double(totalSteps), power)
    }
}
