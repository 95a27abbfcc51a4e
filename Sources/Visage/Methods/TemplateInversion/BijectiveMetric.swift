import Torch

/// The bijective metric of Eq. 10–11: distances between latents of the ``FeatureFlow``.
///
/// Eq. 10 is the squared 2-Wasserstein distance between Gaussians. Under the prior every latent z is the mean of
/// a unit-covariance Gaussian, N(z, I); between two such Gaussians the covariance term of Eq. 10 vanishes and the
/// distance is ‖z̃ − z‖², which is what ``distance(_:_:)`` computes row by row.
///
/// Eq. 11 as printed puts `max(0, d − m)` on pairs of *different* identities, which would pull them together
/// down to the margin; the text around it says the metric "enhanc[es] the margin between different
/// identities". Visage implements the text: different identities pay `max(0, m − d)` (the contrastive hinge of
/// Hadsell et al.), the same identity pays `d`.
public struct BijectiveMetric: Sendable, Equatable {
    /// The margin m of Eq. 11 (squared latent distance).
    public var margin: Double

    public init(margin: Double) { self.margin = margin }

    /// Squared 2-Wasserstein distance between N(a_i, I) and N(b_i, I) for each row: ‖a_i − b_i‖², `[N]`.
    public static func distance(_ a: Tensor, _ b: Tensor) -> Tensor { (a - b).square().sum(1) }

    /// Squared 2-Wasserstein distance (Eq. 10) between Gaussians with diagonal covariances, given by their means
    /// and variances `[N, D]`: ‖μ̃ − μ‖² + Σ(σ̃ − σ)², `[N]` (for diagonal covariances the trace term reduces
    /// to the squared difference of the standard deviations).
    public static func gaussianDistance(mean a: Tensor, variance va: Tensor, mean b: Tensor, variance vb: Tensor) -> Tensor {
        (a - b).square().sum(1) + (va.sqrt() - vb.sqrt()).square().sum(1)
    }

    /// Eq. 11 over every pair (i < j) of the rows of `z` `[N, D]` with identities `labels` `[N]`: the mean of
    /// `d` over same-identity pairs plus the mean of `max(0, m − d)` over different-identity pairs (a kind of
    /// pair absent from the batch adds nothing).
    public func identityLoss(_ z: Tensor, labels: Tensor) -> Tensor {
        let count = z.shape[0]
        let squared = z.square().sum(1)
        let distances = (squared.reshaped([-1, 1]) + squared.reshaped([1, -1]) - 2 * z.matmul(z.transposed()))
            .clamp(min: 0)
        let same = labels.reshaped([-1, 1]).eq(labels.reshaped([1, -1])).to(z.dtype)
        let index = Tensor.arange(count)
        let upper = index.reshaped([-1, 1]).lt(index.reshaped([1, -1])).to(z.dtype)
        let samePairs = same * upper
        let differentPairs = (1 - same) * upper
        let pull = (distances * samePairs).sum() / samePairs.sum().clamp(min: 1)
        let push = (Functional.relu(margin - distances) * differentPairs).sum() / differentPairs.sum().clamp(min: 1)
        return pull + push
    }
}
