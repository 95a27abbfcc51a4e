import Torch

extension MobileFaceNetMS1M {
    /// Depthwise-separable convolution with a normalization after each half (foamliu's `DepthwiseSeparableConv`):
    /// 3×3 depthwise conv → BN (`bn1`) → ReLU → 1×1 pointwise conv → BN (`bn2`) → ReLU; plain ReLU, not ReLU6.
    public final class DepthwiseSeparable: Module, BatchNormFoldable {
        /// 3×3 depthwise convolution, padding 1, no bias.
        public private(set) var depthwise: Conv2d
        /// 1×1 convolution, no bias.
        public private(set) var pointwise: Conv2d
        /// Normalizes the depthwise output (``Identity`` once folded).
        public private(set) var bn1: Module
        /// Normalizes the pointwise output (``Identity`` once folded).
        public private(set) var bn2: Module

        /// A block from `inChannels` to `outChannels` at the input's resolution.
        public init(_ inChannels: Int, _ outChannels: Int) {
            depthwise = Conv2d(inChannels, inChannels, kernelSize: 3, padding: 1, groups: inChannels, bias: false)
            pointwise = Conv2d(inChannels, outChannels, kernelSize: 1, bias: false)
            bn1 = BatchNorm2d(inChannels)
            bn2 = BatchNorm2d(outChannels)
            super.init()
        }

        /// `[N, in, H, W]` → `[N, out, H, W]`.
        public override func forward(_ x: Tensor) -> Tensor {
            Functional.relu(bn2(pointwise(Functional.relu(bn1(depthwise(x))))))
        }

        /// Folds each BN into its convolution.
        public func foldBatchNorms() {
            BatchNormFolding.fold(&depthwise, &bn1)
            BatchNormFolding.fold(&pointwise, &bn2)
        }
    }
}
