/// How the reconstruction path descends: the discriminator (Algorithm 1, line 6) and the generator, both in its
/// own step (line 8) and in its share of the joint step (line 12). The extractor always uses the paper's SGD.
///
/// The paper trains every step with SGD at learning rate 0.08. On LFW that drives the generator into tanh
/// saturation within a few hundred iterations: the discriminator wins (its loss near 0.04), every reconstruction
/// becomes the same saturated colour field and L_Rec stops falling, since saturated outputs pass no gradient.
/// Adam for the generator's own step alone is not enough: the joint step's SGD at 0.08, driven by an extractor
/// whose first outputs are far from the unit-norm targets, saturates it within 20 iterations (L_Rec 55 → 108).
/// Adam with DCGAN's settings for every update of G and D keeps the reconstructions face-like, so it is the
/// default.
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
