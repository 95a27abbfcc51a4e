import Foundation

/// The exponential weighting of Eq. 18: identity terms weigh most at the first scale and realism most at the
/// last, λ_b = α·e^(R_M − R), λ_d = λ_r = e^(R_M − R), λ_adv = β·e^R, where R is the current scale (1 … R_M).
///
/// Visage's generator is trained at its full resolution from the first step rather than grown scale by scale,
/// so the scale R is the training progress mapped linearly onto 1 … R_M (``scale(step:of:)``): the same
/// hand-over from identity to realism, over the run instead of over growth stages.
public struct InversionLossWeights: Sendable, Equatable, Codable {
    /// α, the bijective metric's factor (paper: 0.001).
    public var alpha: Double
    /// β, the adversarial term's factor (paper: 1).
    public var beta: Double
    /// R_M, the number of scales.
    public var maxScale: Double

    public init(alpha: Double = 0.001, beta: Double = 1, maxScale: Double = 4) {
        self.alpha = alpha
        self.beta = beta
        self.maxScale = maxScale
    }

    /// The four weights at scale R.
    public struct Values: Sendable, Equatable {
        public var bijective: Double
        public var distillation: Double
        public var adversarial: Double
        public var reconstruction: Double
    }

    /// Eq. 18 at scale `scale`.
    public func values(scale: Double) -> Values {
        let identity = Foundation.exp(maxScale - scale)
        return Values(bijective: alpha * identity, distillation: identity, adversarial: beta * Foundation.exp(scale),
                      reconstruction: identity)
    }

    /// The scale at 0-based step `step` of `steps`: 1 at the first step, R_M at the last.
    public func scale(step: Int, of steps: Int) -> Double {
        guard steps > 1 else { return maxScale }
        return 1 + (maxScale - 1) * Double(min(max(step, 0), steps - 1)) / Double(steps - 1)
    }
}
