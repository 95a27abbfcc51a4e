/// How the two adversarial-reconstruction steps of Algorithm 1 descend: the discriminator's (line 6) and the
/// generator's (line 8). The extractor and joint steps always use the paper's SGD.
///
/// The paper trains every step with SGD at learning rate 0.08. On LFW that drives the generator into tanh
/// saturation within a few hundred iterations: the discriminator wins (its loss near 0.04), every reconstruction
/// becomes the same saturated colour field and L_Rec stops falling, since saturated outputs pass no gradient.
/// Adam with DCGAN's settings keeps the two in balance, so it is the default.
public enum ReconstructionOptimizer: String, Codable, Sendable, CaseIterable {
    /// SGD with the settings' learning rate, momentum and weight decay, as the paper trains every step.
    case sgd
    /// Adam at learning rate 2·10⁻⁴ with β₁ = 0.5, β₂ = 0.999 (DCGAN's settings), scaled by the same step
    /// schedule as the other steps.
    case adam

    /// Adam's base learning rate.
    public static let adamLearningRate = 2e-4
    /// Adam's β₁ (DCGAN's 0.5 instead of 0.9: less momentum, a steadier adversarial game).
    public static let adamBeta1 = 0.5
}
