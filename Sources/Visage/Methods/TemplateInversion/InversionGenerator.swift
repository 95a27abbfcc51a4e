import Foundation
import Torch

/// DiBiGAN's generator G at small scale: a template and a noise vector → a face, the template injected at every
/// scale (§III-B, §VI-B).
///
/// A mapping network (4 fully connected layers, leaky ReLU) turns the L2-normalized template concatenated with
/// the noise v into a style w; a learned 4×4 constant is doubled in size `log2(size/4)` times (nearest
/// upsampling, 3×3 convolution, AdaIN from w, leaky ReLU), and a 1×1 convolution with tanh gives RGB in [−1, 1]
/// (the loader's pixel/127.5 − 1). The paper grows its generator progressively; this one trains at its full
/// size throughout (see ``InversionLossWeights``).
public final class InversionGenerator: Module {
    public let templateDimension: Int
    public let noiseDimension: Int
    public let styleDimension: Int
    /// The face side, a power of two ≥ 8.
    public let size: Int
    public let mapping: [Linear]
    public let constant: Tensor
    public let convs: [Conv2d]
    public let norms: [AdaptiveInstanceNorm]
    public let toRGB: Conv2d

    /// Channels at each doubling: 128 down to 32 by the last.
    static func widths(size: Int) -> [Int] {
        let stages = Int(log2(Double(size / 4)).rounded())
        return (0..<stages).map { stage in max(32, 128 >> max(0, stage - 1)) }
    }

    public init(templateDimension: Int, size: Int = 64, noiseDimension: Int = 32, styleDimension: Int = 256) {
        precondition(size >= 8 && size & (size - 1) == 0, "the generator's side must be a power of two ≥ 8")
        self.templateDimension = templateDimension
        self.noiseDimension = noiseDimension
        self.styleDimension = styleDimension
        self.size = size
        mapping = (0..<4).map { Linear($0 == 0 ? templateDimension + noiseDimension : styleDimension, styleDimension) }
        constant = Tensor.randn([1, 128, 4, 4]).requiresGrad(true)
        var inChannels = 128
        var convs: [Conv2d] = [], norms: [AdaptiveInstanceNorm] = []
        for width in Self.widths(size: size) {
            convs.append(Conv2d(inChannels, width, kernelSize: 3, padding: 1))
            norms.append(AdaptiveInstanceNorm(channels: width, styleDimension: styleDimension))
            inChannels = width
        }
        self.convs = convs
        self.norms = norms
        toRGB = Conv2d(inChannels, 3, kernelSize: 1)
        super.init()
    }

    /// `[N, D]` templates and `[N, noiseDimension]` noise → `[N, 3, size, size]` faces.
    public func generate(templates: Tensor, noise: Tensor) -> Tensor {
        var w = Tensor.cat([Functional.normalize(templates, dim: 1), noise], dim: 1)
        for layer in mapping { w = Functional.leakyRelu(layer(w), negativeSlope: 0.2) }
        var h = constant.expanded([templates.shape[0], 128, 4, 4])
        for (conv, norm) in zip(convs, norms) {
            h = Functional.interpolate(h, scaleFactor: [2, 2], mode: .nearest)
            h = Functional.leakyRelu(norm.modulate(conv(h), style: w), negativeSlope: 0.2)
        }
        return toRGB(h).tanh()
    }

    /// Faces from templates with fresh N(0, I) noise.
    public override func forward(_ templates: Tensor) -> Tensor {
        generate(templates: templates, noise: Tensor.randn([templates.shape[0], noiseDimension]))
    }
}
