import Torch

/// MobileFaceNet as insightface arcface_torch builds it (`mobilefacenet.py`, `get_mbf`: blocks (1, 4, 6, 2),
/// width scale 2): depthwise-separable bottlenecks and a global depthwise convolution (GDC) head for 112×112
/// faces.
///
/// 3×3 conv (128, stride 2) → grouped 3×3 conv (64 groups) → four stages of stride-2 ``DepthWise`` blocks and
/// ``Residual`` stacks (128 → 128 → 256 → 256 channels, 56 → 7 pixels) → 1×1 conv to 512 (`conv_sep`) → ``GDC``
/// head (7×7 depthwise conv → fully connected → BN). Inputs must be 112×112 (the 7×7 GDC kernel covers the
/// last map exactly). State-dict names are arcface_torch's.
public final class MobileFaceNet: Module {
    /// Stem, stages and residual stacks, as arcface_torch's `layers` module list.
    public let layers: [Module]
    /// 1×1 conv from 256 to 512 channels.
    public let convSep: ConvBlock
    /// The embedding head.
    public let features: GDC

    /// Maps `convSep` to arcface_torch's `conv_sep`.
    public override var stateKeyNames: [String: String] { ["convSep": "conv_sep"] }

    /// A MobileFaceNet producing `embeddingSize`-dimensional embeddings; `blocks` are the depths of the four
    /// residual stacks (a first entry of 1 means a single grouped conv instead of a stack) and `scale` the
    /// width multiplier (arcface_torch's large variant is blocks (2, 8, 12, 4), scale 4).
    public init(embeddingSize: Int = 512, blocks: [Int] = [1, 4, 6, 2], scale: Int = 2) {
        precondition(blocks.count == 4 && blocks.allSatisfy { $0 > 0 },
                     "MobileFaceNet: blocks must be four positive depths, got \(blocks)")
        let narrow = 64 * scale
        let wide = 128 * scale
        var stages: [Module] = [ConvBlock(3, narrow, kernelSize: 3, stride: 2, padding: 1)]
        if blocks[0] == 1 {
            stages.append(ConvBlock(narrow, narrow, kernelSize: 3, padding: 1, groups: 64))
        } else {
            stages.append(Residual(channels: narrow, blocks: blocks[0], groups: 128))
        }
        stages += [
            DepthWise(narrow, narrow, groups: 128, stride: 2),
            Residual(channels: narrow, blocks: blocks[1], groups: 128),
            DepthWise(narrow, wide, groups: 256, stride: 2),
            Residual(channels: wide, blocks: blocks[2], groups: 256),
            DepthWise(wide, wide, groups: 512, stride: 2),
            Residual(channels: wide, blocks: blocks[3], groups: 256),
        ]
        layers = stages
        convSep = ConvBlock(wide, 512, kernelSize: 1)
        features = GDC(embeddingSize: embeddingSize)
        super.init()
        for module in modules {
            if let convolution = module as? Conv2d {
                Initializers.kaimingNormal(convolution.weight, mode: .fanOut, nonlinearity: .relu)
            } else if let linear = module as? Linear {
                Initializers.kaimingNormal(linear.weight, mode: .fanOut, nonlinearity: .relu)
            }
        }
    }

    /// `[N, 3, 112, 112]` → `[N, embeddingSize]`.
    public override func forward(_ x: Tensor) -> Tensor {
        features(convSep(layers.reduce(x) { h, layer in layer(h) }))
    }
}
