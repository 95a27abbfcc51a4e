import Torch

extension MobileFaceNet {
    /// Convolution (no bias) → BN → per-channel PReLU, or without the PReLU for a linear block
    /// (arcface_torch's `ConvBlock` and `LinearBlock`; state under `layers.0`, `layers.1`, `layers.2`).
    public final class ConvBlock: Module, BatchNormFoldable {
        /// The convolution, normalization and (unless linear) activation.
        public private(set) var layers: Sequential

        /// A block from `inChannels` to `outChannels`; `linear` leaves out the activation.
        public init(
            _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
            groups: Int = 1, linear: Bool = false
        ) {
            var parts: [Module] = [
                Conv2d(inChannels, outChannels, kernelSize: IntPair(kernelSize, kernelSize),
                       stride: IntPair(stride, stride), padding: IntPair(padding, padding), groups: groups,
                       bias: false),
                BatchNorm2d(outChannels),
            ]
            if !linear { parts.append(PReLU(outChannels)) }
            layers = Sequential(parts)
            super.init()
        }

        /// The block applied to `x`.
        public override func forward(_ x: Tensor) -> Tensor { layers(x) }

        /// Folds the BN into the convolution.
        public func foldBatchNorms() { layers = BatchNormFolding.folded(layers) }
    }
}
