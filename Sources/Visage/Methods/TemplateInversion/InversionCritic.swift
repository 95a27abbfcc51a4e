import Foundation
import Torch

/// The WGAN-GP critic D of Eq. 17: a face → an unbounded realism score. Stride-2 4×4 convolutions with leaky
/// ReLU and no batch norm (the gradient penalty is per sample, which batch statistics would break), halving the
/// face to 4×4, then a linear layer.
public final class InversionCritic: Module {
    public let size: Int
    public let convs: [Conv2d]
    public let score: Linear

    public init(size: Int = 64) {
        precondition(size >= 8 && size & (size - 1) == 0, "the critic's side must be a power of two ≥ 8")
        self.size = size
        let stages = Int(log2(Double(size / 4)).rounded())
        var inChannels = 3
        var convs: [Conv2d] = []
        for stage in 0..<stages {
            let width = min(256, 32 << stage)
            convs.append(Conv2d(inChannels, width, kernelSize: 4, stride: 2, padding: 1))
            inChannels = width
        }
        self.convs = convs
        score = Linear(inChannels * 16, 1)
        super.init()
    }

    /// `[N, 3, size, size]` → `[N]` scores.
    public override func forward(_ faces: Tensor) -> Tensor {
        var h = faces
        for conv in convs { h = Functional.leakyRelu(conv(h), negativeSlope: 0.2) }
        return score(h.flattened(from: 1)).reshaped([-1])
    }
}
