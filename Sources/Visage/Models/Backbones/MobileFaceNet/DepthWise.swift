import Torch

extension MobileFaceNet {
    /// Depthwise-separable bottleneck (arcface_torch's `DepthWise`): 1×1 conv to `groups` channels → 3×3
    /// depthwise conv with the block's stride → linear 1×1 conv to `outChannels`, plus the input when residual.
    public final class DepthWise: Module {
        /// Expansion, depthwise and projection blocks.
        public let layers: Sequential
        /// Whether the input is added to the output.
        public let residual: Bool

        /// A bottleneck from `inChannels` to `outChannels` through `groups` depthwise channels.
        public init(_ inChannels: Int, _ outChannels: Int, groups: Int, stride: Int, residual: Bool = false) {
            precondition(!residual || (inChannels == outChannels && stride == 1),
                         "MobileFaceNet.DepthWise: a residual block keeps channels and size")
            layers = Sequential(
                ConvBlock(inChannels, groups, kernelSize: 1),
                ConvBlock(groups, groups, kernelSize: 3, stride: stride, padding: 1, groups: groups),
                ConvBlock(groups, outChannels, kernelSize: 1, linear: true))
            self.residual = residual
            super.init()
        }

        /// The bottleneck applied to `x`, plus `x` when residual.
        public override func forward(_ x: Tensor) -> Tensor {
            residual ? x + layers(x) : layers(x)
        }
    }
}
