import Foundation
import Torch

/// The flow's prior of Eq. 12–13: one Gaussian per training identity, N(μ_c, I) with μ_c = spacing · c · 𝟙,
/// so the likelihood pulls each identity's latents to its own mean.
///
/// The paper sets μ_c = c·𝟙 (spacing 1); the spacing is kept as a setting because with thousands of identities
/// the means grow with the label and a smaller spacing keeps the latents in a range the coupling layers reach.
public struct IdentityGaussianPrior: Sendable, Equatable {
    /// The distance between consecutive identities' means along every axis.
    public var spacing: Double

    public init(spacing: Double = 1) { self.spacing = spacing }

    /// The means μ_c `[N, dimension]` of the identities `labels` (`[N]`, int64).
    public func means(labels: Tensor, dimension: Int) -> Tensor {
        let column = labels.to(.float32).reshaped([-1, 1]) * spacing
        return column.expanded([labels.shape[0], dimension])
    }

    /// The mean negative log-likelihood of Eq. 12: −[log N(z; μ_label, I) + log|det ∂z/∂x|] averaged over the
    /// rows, in nats per sample, for latents `z` `[N, D]` with their flow log-determinants `[N]`.
    public func negativeLogLikelihood(latent z: Tensor, logDeterminant: Tensor, labels: Tensor) -> Tensor {
        let dimension = z.shape[1]
        let centred = z - means(labels: labels, dimension: dimension).to(z.dtype)
        let logDensity = centred.square().sum(1) * -0.5 - 0.5 * Double(dimension) * Foundation.log(2 * Double.pi)
        return -(logDensity + logDeterminant).mean()
    }
}
