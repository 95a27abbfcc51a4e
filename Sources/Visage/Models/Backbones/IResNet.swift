import Torch

/// IResNet, the ArcFace residual network for 112×112 faces (insightface arcface_torch `iresnet.py`).
///
/// Stem 3×3 conv (64, stride 1) → BN → PReLU; four stages of ``IBasicBlock``s with 64, 128, 256 and 512
/// channels, each starting with stride 2 (112 → 7); head BN → flatten → dropout → fully connected
/// (512·7·7 → embedding) → BN (`features`, scale frozen at 1 as in arcface_torch). Inputs must be 112×112,
/// which the flattening head fixes. State-dict names are arcface_torch's, so its weights load directly.
public final class IResNet: Module, BatchNormFoldable {
    /// Blocks per stage for the supported depths.
    public static let stageBlocks: [Int: [Int]] = [18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 14, 3],
                                                   100: [3, 13, 30, 3]]

    /// Stem convolution, 3 → 64.
    public private(set) var conv1: Conv2d
    /// Stem normalization (``Identity`` once folded).
    public private(set) var bn1: Module
    /// Stem activation.
    public let prelu: PReLU
    /// Stage 1, 64 channels, 56×56.
    public let layer1: Sequential
    /// Stage 2, 128 channels, 28×28.
    public let layer2: Sequential
    /// Stage 3, 256 channels, 14×14.
    public let layer3: Sequential
    /// Stage 4, 512 channels, 7×7.
    public let layer4: Sequential
    /// Normalizes the last feature map.
    public let bn2: BatchNorm2d
    /// Dropout before the embedding layer (probability 0 by default, as arcface_torch's configurations).
    public let dropout: Dropout
    /// 512·7·7 → embedding.
    public private(set) var fc: Linear
    /// Normalizes the embedding (``Identity`` once folded).
    public private(set) var features: Module

    /// An IResNet of `depth` (18, 34, 50 or 100 layers) producing `embeddingSize`-dimensional embeddings.
    public init(depth: Int, embeddingSize: Int = 512, dropout: Double = 0) {
        guard let blocks = Self.stageBlocks[depth] else {
            preconditionFailure("IResNet: unsupported depth \(depth); use one of \(Self.stageBlocks.keys.sorted())")
        }
        conv1 = Conv2d(3, 64, kernelSize: 3, padding: 1, bias: false)
        bn1 = BatchNorm2d(64)
        prelu = PReLU(64)
        var channels = 64
        func stage(_ outChannels: Int, _ count: Int) -> Sequential {
            let first = IBasicBlock(inChannels: channels, outChannels: outChannels, stride: 2)
            channels = outChannels
            let rest = (1..<count).map { _ in IBasicBlock(inChannels: outChannels, outChannels: outChannels) }
            return Sequential([first] + rest)
        }
        layer1 = stage(64, blocks[0])
        layer2 = stage(128, blocks[1])
        layer3 = stage(256, blocks[2])
        layer4 = stage(512, blocks[3])
        bn2 = BatchNorm2d(512)
        self.dropout = Dropout(dropout)
        fc = Linear(512 * 7 * 7, embeddingSize)
        let embeddingNorm = BatchNorm1d(embeddingSize)
        embeddingNorm.weight?.requiresGrad(false)
        features = embeddingNorm
        super.init()
        for case let convolution as Conv2d in modules {
            Initializers.normal(convolution.weight, mean: 0, std: 0.1)
        }
    }

    /// `[N, 3, 112, 112]` → `[N, embeddingSize]`.
    public override func forward(_ x: Tensor) -> Tensor {
        var h = prelu(bn1(conv1(x)))
        h = layer4(layer3(layer2(layer1(h))))
        h = dropout(bn2(h).flattened(from: 1))
        return features(fc(h))
    }

    /// Folds the stem BN into the stem conv and the embedding BN into `fc` (`bn2` follows a residual sum).
    public func foldBatchNorms() {
        BatchNormFolding.fold(&conv1, &bn1)
        BatchNormFolding.fold(&fc, &features)
    }
}
