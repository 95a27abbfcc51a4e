import Foundation
import Torch

/// The NbNet-style baseline (Mai et al., "On the reconstruction of face images from deep face templates"): a
/// template → face by direct deconvolution — a linear layer to a 4×4×256 map, then stride-2 transposed
/// convolutions (batch norm, ReLU) doubling it to `size`, and tanh. No noise and no per-scale injection.
public final class NbNetGenerator: Module {
    public let templateDimension: Int
    public let size: Int
    public let input: Linear
    public let deconvs: [ConvTranspose2d]
    public let norms: [BatchNorm2d]
    public let toRGB: Conv2d

    public init(templateDimension: Int, size: Int = 64) {
        precondition(size >= 8 && size & (size - 1) == 0, "the generator's side must be a power of two ≥ 8")
        self.templateDimension = templateDimension
        self.size = size
        input = Linear(templateDimension, 256 * 16)
        let stages = Int(log2(Double(size / 4)).rounded())
        var inChannels = 256
        var deconvs: [ConvTranspose2d] = [], norms: [BatchNorm2d] = []
        for stage in 0..<stages {
            let width = max(32, 256 >> (stage + 1))
            deconvs.append(ConvTranspose2d(inChannels, width, kernelSize: 4, stride: 2, padding: 1, bias: false))
            norms.append(BatchNorm2d(width))
            inChannels = width
        }
        self.deconvs = deconvs
        self.norms = norms
        toRGB = Conv2d(inChannels, 3, kernelSize: 3, padding: 1)
        super.init()
    }

    /// `[N, D]` templates → `[N, 3, size, size]` faces.
    public override func forward(_ templates: Tensor) -> Tensor {
        var h = Functional.relu(input(Functional.normalize(templates, dim: 1))).reshaped([-1, 256, 4, 4])
        for (deconv, norm) in zip(deconvs, norms) { h = Functional.relu(norm(deconv(h))) }
        return toRGB(h).tanh()
    }
}
