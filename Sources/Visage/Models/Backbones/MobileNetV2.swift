import Torch

/// MobileNetV2 (Sandler et al., 2018) as a face embedding network with bottleneck expansion `T`, the R³AN
/// paper's prior models Mb-6, Mb-10 and Mb-16.
///
/// Stem 3×3 conv (32, stride 2) → BN → ReLU6; ``InvertedResidual`` stages (expansion, channels, repeats,
/// stride) (1, 16, 1, 1), (T, 24, 2, 2), (T, 32, 3, 2), (T, 64, 4, 2), (T, 96, 3, 1), (T, 160, 3, 2),
/// (T, 320, 1, 1); 1×1 conv to 1280 → BN → ReLU6; global average pooling; fully connected to the embedding
/// (`fc`) → BN (`features`), the ArcFace-style embedding head. Global pooling makes any input size work
/// (112×112 maps to 4×4 before pooling; R³AN trained at 224×224).
public final class MobileNetV2: Module, BatchNormFoldable {
    /// The stage table: expansion (nil: the network's `T`), output channels, repeats, first stride.
    public static let stages: [(expansion: Int?, channels: Int, repeats: Int, stride: Int)] = [
        (1, 16, 1, 1), (nil, 24, 2, 2), (nil, 32, 3, 2), (nil, 64, 4, 2), (nil, 96, 3, 1), (nil, 160, 3, 2),
        (nil, 320, 1, 1),
    ]

    /// Bottleneck expansion factor T of every stage but the first.
    public let expansion: Int
    /// Stem conv → BN → ReLU6.
    public private(set) var stem: Sequential
    /// The inverted-residual bottlenecks, in order.
    public let blocks: Sequential
    /// 1×1 conv to 1280 → BN → ReLU6.
    public private(set) var head: Sequential
    /// 1280 → embedding.
    public private(set) var fc: Linear
    /// Normalizes the embedding (``Identity`` once folded).
    public private(set) var features: Module

    /// A MobileNetV2 with expansion `expansion` producing `embeddingSize`-dimensional embeddings.
    public init(expansion: Int, embeddingSize: Int = 512) {
        self.expansion = expansion
        stem = Sequential(Conv2d(3, 32, kernelSize: 3, stride: 2, padding: 1, bias: false), BatchNorm2d(32), ReLU6())
        var channels = 32
        var bottlenecks: [Module] = []
        for stage in Self.stages {
            for index in 0..<stage.repeats {
                bottlenecks.append(InvertedResidual(
                    inChannels: channels, outChannels: stage.channels, stride: index == 0 ? stage.stride : 1,
                    expansion: stage.expansion ?? expansion))
                channels = stage.channels
            }
        }
        blocks = Sequential(bottlenecks)
        head = Sequential(Conv2d(channels, 1280, kernelSize: 1, bias: false), BatchNorm2d(1280), ReLU6())
        fc = Linear(1280, embeddingSize)
        features = BatchNorm1d(embeddingSize)
        super.init()
        for case let convolution as Conv2d in modules {
            Initializers.kaimingNormal(convolution.weight, mode: .fanOut)
        }
    }

    /// `[N, 3, H, W]` → `[N, embeddingSize]`.
    public override func forward(_ x: Tensor) -> Tensor {
        let map = head(blocks(stem(x)))
        return features(fc(map.mean([2, 3])))
    }

    /// Folds the stem and head BNs into their convs and the embedding BN into `fc`.
    public func foldBatchNorms() {
        stem = BatchNormFolding.folded(stem)
        head = BatchNormFolding.folded(head)
        BatchNormFolding.fold(&fc, &features)
    }
}
