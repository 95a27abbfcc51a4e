import Torch

/// A differentiable histogram of similarities over [−1, 1]: each value spreads a Gaussian kernel over evenly
/// spaced bin centres, and the bins are normalized to sum to 1.
///
/// With `values` `s_i` and centres `c_k` (`bins` points from −1 to 1 inclusive) the mass of bin `k` is
/// `Σ_i exp(−(s_i − c_k)² / (2σ²))`, divided by the total; σ is ``kernelWidth``.
struct SoftHistogram {
    /// Number of bin centres.
    var bins: Int
    /// Standard deviation σ of the Gaussian kernel.
    var kernelWidth: Double

    /// The histogram `[bins]` of the 1-D tensor `values` (at least one value).
    func callAsFunction(_ values: Tensor) -> Tensor {
        let centres = Tensor.linspace(-1, 1, steps: bins, dtype: values.dtype)
        let offsets = (values.view([-1, 1]) - centres.view([1, -1])) / kernelWidth
        let mass = (offsets.square() * -0.5).exp().sum(0)
        return mass / mass.sum()
    }
}

extension SoftHistogram {
    /// The Kullback–Leibler divergence `KL(p ‖ q) = Σ_k p_k (log p_k − log q_k)` of two histograms, with 1e-9 added
    /// to every bin (as the reference implementation does) so that empty bins stay finite.
    static func klDivergence(_ p: Tensor, _ q: Tensor) -> Tensor {
        let smoothedP = p + 1e-9
        return (smoothedP * (smoothedP.log() - (q + 1e-9).log())).sum()
    }
}
