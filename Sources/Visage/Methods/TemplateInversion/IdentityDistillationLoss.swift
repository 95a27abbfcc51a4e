import Torch

/// The identity losses of blackbox distillation (Eq. 14) and of the generator through the student (Eq. 15).
public enum IdentityDistillationLoss {
    /// Eq. 14's d_distill: the batch mean of (1 − cos(a_i, b_i))², for features `[N, D]`. 0 for parallel
    /// features, 1 for orthogonal ones, 4 for opposite ones; invariant to each row's length.
    public static func cosine(_ a: Tensor, _ b: Tensor) -> Tensor {
        (1 - Functional.cosineSimilarity(a, b, dim: 1)).square().mean()
    }

    /// The first term of Eq. 15 for one intermediate layer: ‖F_j(x̃) − F_j(x)‖₂ / (W_j·H_j·C_j), averaged over
    /// the batch, for activations `[N, C, H, W]` (or any `[N, …]`).
    public static func intermediate(_ reconstructed: Tensor, _ real: Tensor) -> Tensor {
        let count = real.shape[0]
        let size = Double(real.count / max(count, 1))
        let difference = (reconstructed - real).reshaped([count, -1])
        return ((difference.square().sum(1) + 1e-12).sqrt() / size).mean()
    }
}
