import Torch

/// The improved residual block of IResNet (insightface arcface_torch `IBasicBlock`):
/// BN → 3×3 conv → BN → PReLU → 3×3 conv (with the block's stride) → BN, plus the input, or its 1×1-conv–BN
/// projection when the shape changes.
///
/// State-dict names as arcface_torch's: `bn1`, `conv1`, `bn2`, `prelu`, `conv2`, `bn3`, `downsample.0`,
/// `downsample.1`.
public final class IBasicBlock: Module, BatchNormFoldable {
    /// Normalizes the block's input.
    public let bn1: BatchNorm2d
    /// 3×3, stride 1, `inChannels` → `outChannels`.
    public private(set) var conv1: Conv2d
    /// Normalizes after `conv1` (``Identity`` once folded).
    public private(set) var bn2: Module
    /// Per-channel activation.
    public let prelu: PReLU
    /// 3×3 with the block's stride.
    public private(set) var conv2: Conv2d
    /// Normalizes after `conv2` (``Identity`` once folded).
    public private(set) var bn3: Module
    /// 1×1 conv and BN projecting the input when stride or channels change; nil otherwise.
    public private(set) var downsample: Sequential?

    /// A block from `inChannels` to `outChannels` channels, subsampling by `stride`.
    public init(inChannels: Int, outChannels: Int, stride: Int = 1) {
        bn1 = BatchNorm2d(inChannels)
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(outChannels)
        prelu = PReLU(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, stride: IntPair(stride, stride), padding: 1, bias: false)
        bn3 = BatchNorm2d(outChannels)
        if stride != 1 || inChannels != outChannels {
            downsample = Sequential(
                Conv2d(inChannels, outChannels, kernelSize: 1, stride: IntPair(stride, stride), bias: false),
                BatchNorm2d(outChannels))
        }
        super.init()
    }

    /// `[N, in, H, W]` → `[N, out, H / stride, W / stride]`.
    public override func forward(_ x: Tensor) -> Tensor {
        let residual = bn3(conv2(prelu(bn2(conv1(bn1(x))))))
        return residual + (downsample?(x) ?? x)
    }

    /// Folds `bn2` into `conv1`, `bn3` into `conv2` and the projection's BN into its conv (`bn1` precedes a
    /// zero-padded convolution, so it cannot be folded exactly).
    public func foldBatchNorms() {
        BatchNormFolding.fold(&conv1, &bn2)
        BatchNormFolding.fold(&conv2, &bn3)
        downsample = downsample.map(BatchNormFolding.folded)
    }
}
