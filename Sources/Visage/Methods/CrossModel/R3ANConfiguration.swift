/// Which R³AN paths and losses are trained, and their weights: the architectures of Table 3.
///
/// The transformation is always `E(G(X))`; the switches decide which steps of Algorithm 1 run and with which
/// terms. The FC row of Table 3 is not a configuration of this network but ``FeatureMLP``.
public struct R3ANConfiguration: Codable, Sendable, Equatable {
    /// Rec:Adv — train G against the discriminator (Eq. 6), and the discriminator itself (Eq. 5).
    public var adversarialReconstruction: Bool
    /// Rec:L2 — train G to reproduce the real 56×56 face (Eq. 4).
    public var l2Reconstruction: Bool
    /// Rep:L2 — train E on real faces to give the target features (Eq. 8).
    public var representation: Bool
    /// Reg:L2 — train G and E jointly so that `E(G(X))` gives the target features (Eq. 9).
    public var regression: Bool
    /// λ_Rec of Eq. 7 and 10.
    public var reconstructionWeight: Double
    /// λ_Adv of Eq. 7 and 10.
    public var adversarialWeight: Double
    /// λ_Rep of Eq. 10.
    public var representationWeight: Double
    /// λ_Reg of Eq. 10.
    public var regressionWeight: Double

    /// A configuration with the given paths on; the paper gives no λ values, so they default to 1.
    public init(
        adversarialReconstruction: Bool, l2Reconstruction: Bool, representation: Bool, regression: Bool,
        reconstructionWeight: Double = 1, adversarialWeight: Double = 1, representationWeight: Double = 1,
        regressionWeight: Double = 1
    ) {
        self.adversarialReconstruction = adversarialReconstruction
        self.l2Reconstruction = l2Reconstruction
        self.representation = representation
        self.regression = regression
        self.reconstructionWeight = reconstructionWeight
        self.adversarialWeight = adversarialWeight
        self.representationWeight = representationWeight
        self.regressionWeight = regressionWeight
    }

    /// The full R³AN: every path and loss (last row of Table 3).
    public static let r3an = Self(adversarialReconstruction: true, l2Reconstruction: true, representation: true,
                                  regression: true)

    /// The rows of Table 3 by name: `Arch1` … `Arch7` and `R3AN`.
    public static let table3: [(name: String, configuration: Self)] = [
        ("Arch1", Self(adversarialReconstruction: false, l2Reconstruction: true, representation: true, regression: false)),
        ("Arch2", Self(adversarialReconstruction: true, l2Reconstruction: false, representation: true, regression: false)),
        ("Arch3", Self(adversarialReconstruction: false, l2Reconstruction: false, representation: false, regression: true)),
        ("Arch4", Self(adversarialReconstruction: false, l2Reconstruction: true, representation: false, regression: true)),
        ("Arch5", Self(adversarialReconstruction: false, l2Reconstruction: true, representation: true, regression: true)),
        ("Arch6", Self(adversarialReconstruction: true, l2Reconstruction: false, representation: false, regression: true)),
        ("Arch7", Self(adversarialReconstruction: false, l2Reconstruction: false, representation: true, regression: true)),
        ("R3AN", r3an),
    ]

    /// The Table 3 row called `name` (case-insensitive: `arch3`, `r3an`), or nil.
    public static func named(_ name: String) -> Self? {
        table3.first { $0.name.lowercased() == name.lowercased() }?.configuration
    }

    /// Whether the generator has a step of its own (Algorithm 1, line 8): some reconstruction loss is on.
    public var trainsGeneratorAlone: Bool { adversarialReconstruction || l2Reconstruction }

    /// Throws when no loss is on or a weight is negative or not finite.
    public func validate() throws {
        guard adversarialReconstruction || l2Reconstruction || representation || regression else {
            throw CrossModelError.invalidConfiguration("every R³AN path is off; nothing would be trained")
        }
        for (name, weight) in [("λ_Rec", reconstructionWeight), ("λ_Adv", adversarialWeight),
                               ("λ_Rep", representationWeight), ("λ_Reg", regressionWeight)] {
            guard weight.isFinite, weight >= 0 else {
                throw CrossModelError.invalidConfiguration("\(name) must be finite and non-negative, got \(weight)")
            }
        }
    }
}
