import Torch

/// WGAN-GP's gradient penalty (Gulrajani et al.; the last term of Eq. 17):
/// E_x̂ [(‖∇_x̂ D(x̂)‖₂ − 1)²] at points x̂ = ε·x_real + (1 − ε)·x_generated drawn on the segments between real and
/// generated samples, ε ~ U(0, 1) per sample.
///
/// The gradient is taken with `createGraph: true`, so the penalty is differentiable with respect to the critic's
/// parameters and its backward pass trains the critic towards unit gradient norm.
public enum GradientPenalty {
    /// The mean penalty over the batch for `critic` (`[N, …]` → `[N]` or `[N, 1]`), with the real and generated
    /// samples (same shape; both are detached) mixed by `mixing` `[N]` (default: U(0, 1) draws).
    public static func penalty(critic: (Tensor) -> Tensor, real: Tensor, generated: Tensor,
                               mixing: Tensor? = nil) -> Tensor {
        let count = real.shape[0]
        let epsilon = mixing ?? Tensor.rand([count], dtype: real.dtype)
        let broadcast = epsilon.reshaped([count] + Array(repeating: 1, count: real.shape.count - 1))
        let points = (real.detached() * broadcast + generated.detached() * (1 - broadcast))
            .detached().requiresGrad(true)
        let scores = critic(points)
        let gradient = gradients(of: [scores.sum()], with: [points], retainGraph: true, createGraph: true)[0]
        let norms = (gradient.reshaped([count, -1]).square().sum(1) + 1e-12).sqrt()
        return (norms - 1).square().mean()
    }
}
