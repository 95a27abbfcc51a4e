import Torch

/// AdaIN (Huang & Belongie), the generator's template injection: each channel of the feature map is normalized
/// over its positions, then scaled and shifted by values a linear layer computes from the style vector w.
public final class AdaptiveInstanceNorm: Module {
    public let channels: Int
    /// w → per-channel (scale, shift).
    public let style: Linear

    public init(channels: Int, styleDimension: Int) {
        self.channels = channels
        style = Linear(styleDimension, 2 * channels)
        super.init()
        // Start as plain instance normalization: scale 1 (1 + 0), shift 0.
        withoutGrad {
            _ = style.weight.mul_(0.1)
            _ = style.bias?.zero_()
        }
    }

    /// `[N, C, H, W]` maps modulated by `[N, styleDimension]` styles.
    public func modulate(_ x: Tensor, style w: Tensor) -> Tensor {
        let parameters = style(w).reshaped([-1, 2 * channels, 1, 1]).chunked(2, dim: 1)
        return Functional.instanceNorm(x) * (parameters[0] + 1) + parameters[1]
    }
}
