/// The rows of the template-inversion table (the paper's baselines and ablations).
public enum InversionMethod: String, Sendable, Codable, CaseIterable {
    /// NbNet-style: direct deconvolution trained by a perceptual loss through the student (Eq. 15's terms).
    case nbnet
    /// The AdaIN generator with WGAN-GP, trained by the L1 reconstruction and adversarial losses only: no
    /// identity loss, so nothing of the engine is distilled.
    case gan
    /// + the identity losses through the distilled student (Eq. 15).
    case ganDistilled = "gan-distilled"
    /// + the bijective metric on the student's features through the flow (Eq. 10–11).
    case ganBijective = "gan-bijective"

    /// Whether the generator is the AdaIN GAN with a critic (everything but NbNet).
    public var isAdversarial: Bool { self != .nbnet }
    /// Whether the training needs the distilled student.
    public var usesStudent: Bool { self != .gan }
}
