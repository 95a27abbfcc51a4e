import Torch

extension MobileFaceNetMS1M {
    /// Global depthwise convolution (foamliu's `GDConv`): a 7×7 depthwise conv without padding or bias that
    /// turns the 7×7 map into one value per channel, then BN (`bn`), no activation.
    public final class GlobalDepthwise: Module, BatchNormFoldable {
        /// 7×7 depthwise convolution.
        public private(set) var depthwise: Conv2d
        /// Normalization of the result (``Identity`` once folded).
        public private(set) var bn: Module

        /// A global depthwise convolution over `channels` channels with a `kernelSize`² kernel.
        public init(channels: Int, kernelSize: Int = 7) {
            depthwise = Conv2d(channels, channels, kernelSize: IntPair(kernelSize, kernelSize), groups: channels,
                               bias: false)
            bn = BatchNorm2d(channels)
            super.init()
        }

        /// `[N, C, 7, 7]` → `[N, C, 1, 1]`.
        public override func forward(_ x: Tensor) -> Tensor { bn(depthwise(x)) }

        /// Folds the BN into the convolution.
        public func foldBatchNorms() { BatchNormFolding.fold(&depthwise, &bn) }
    }
}
