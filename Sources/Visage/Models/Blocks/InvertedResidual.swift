import Torch

/// MobileNetV2's inverted-residual bottleneck (Sandler et al., 2018): 1×1 expansion conv to
/// `inChannels · expansion` channels → BN → ReLU6 → 3×3 depthwise conv with the block's stride → BN → ReLU6 →
/// linear 1×1 projection to `outChannels` → BN, plus the input when stride is 1 and the channels match.
///
/// With `expansion` 1 the expansion conv is left out, as in the paper's first bottleneck. The layers are
/// `conv.0`, `conv.1`, … in that order; with `grouped` each conv → BN → ReLU6 triple is a ``Sequential`` of its
/// own (`conv.0.0`, `conv.0.1`, `conv.1.0`, …, then the projection `conv.2` and its BN `conv.3`), the layout of
/// torchvision's MobileNetV2 and of the MS1M MobileFaceNet (``MobileFaceNetMS1M``).
public final class InvertedResidual: Module, BatchNormFoldable {
    /// The bottleneck's layers, in order.
    public private(set) var conv: Sequential
    /// Whether the input is added to the output.
    public let usesResidual: Bool

    /// A bottleneck from `inChannels` to `outChannels` subsampling by `stride` (1 or 2), widening by `expansion`;
    /// `grouped` nests each conv → BN → ReLU6 in a ``Sequential`` of its own.
    public init(inChannels: Int, outChannels: Int, stride: Int, expansion: Int, grouped: Bool = false) {
        precondition(stride == 1 || stride == 2, "InvertedResidual: stride must be 1 or 2, got \(stride)")
        precondition(expansion >= 1, "InvertedResidual: expansion must be at least 1, got \(expansion)")
        let hidden = inChannels * expansion
        var activated: [[Module]] = []
        if expansion != 1 {
            activated.append([Conv2d(inChannels, hidden, kernelSize: 1, bias: false), BatchNorm2d(hidden), ReLU6()])
        }
        activated.append([
            Conv2d(hidden, hidden, kernelSize: 3, stride: IntPair(stride, stride), padding: 1, groups: hidden,
                   bias: false),
            BatchNorm2d(hidden), ReLU6(),
        ])
        let leading: [Module] = grouped ? activated.map { Sequential($0) } : activated.flatMap { $0 }
        conv = Sequential(
            leading + [Conv2d(hidden, outChannels, kernelSize: 1, bias: false), BatchNorm2d(outChannels)])
        usesResidual = stride == 1 && inChannels == outChannels
        super.init()
    }

    /// `[N, in, H, W]` → `[N, out, ⌈H / stride⌉, ⌈W / stride⌉]`.
    public override func forward(_ x: Tensor) -> Tensor {
        usesResidual ? x + conv(x) : conv(x)
    }

    /// Folds each BN into the convolution before it.
    public func foldBatchNorms() {
        let inner = conv.layers.map { layer -> Module in
            if let group = layer as? Sequential { BatchNormFolding.folded(group) } else { layer }
        }
        conv = BatchNormFolding.folded(Sequential(inner))
    }
}
