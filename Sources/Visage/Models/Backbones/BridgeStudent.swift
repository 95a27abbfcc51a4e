import Torch

/// The light-weight low-resolution student of bridge distillation (Ge et al., "Efficient Low-Resolution Face
/// Recognition via Bridge Distillation", Section III-D).
///
/// The paper gives the design only in words: "ten convolutional layers, three max pooling layers and three
/// fully connected layers, interleaved by ReLU non-linearities"; "several 1×1 convolution layers are
/// intersected between 3×3 ones"; "two skip connections"; "global average pooling … so that the architecture
/// can handle arbitrary resolutions"; batch normalization; Xavier initialization; 0.21M parameters. This is
/// our reading of it, with channel widths chosen to land on 0.21M (214,864 parameters with a 128-D embedding):
///
/// | layers | output channels |
/// |---|---|
/// | conv1 3×3 → max-pool 2×2 | 16 |
/// | conv2 3×3, conv3 1×1, conv4 3×3; skip conv2 → conv4 → max-pool 2×2 | 32, 16, 32 |
/// | conv5 3×3, conv6 1×1, conv7 3×3; skip conv5 → conv7 → max-pool 2×2 | 64, 32, 64 |
/// | conv8 3×3, conv9 1×1, conv10 3×3 → global average pool | 96, 48, 128 |
/// | fc1 → ReLU → fc2 → ReLU → fc3 (the embedding) | 128, 128, embedding |
///
/// Every convolution is followed by BN and ReLU (convolutions carry no bias); a skip connection adds the
/// first convolution's activated output to the third's normalized output before that ReLU. Pools use ceil
/// mode, so odd sizes work; any input from 16×16 up runs (16 → 2×2 before pooling, 112 → 14×14).
/// `fc3`'s output is the embedding ("mimicking layer" of the paper, 128-D to match the teacher's adapted
/// features); the identity classifier belongs to the loss. State: `convs.0` … `convs.9`, `norms.0` …
/// `norms.9`, `fc1`, `fc2`, `fc3`.
public final class BridgeStudent: Module, BatchNormFoldable {
    /// Output channels of conv1 … conv10.
    public static let widths = [16, 32, 16, 32, 64, 32, 64, 96, 48, 128]
    /// Kernel sizes of conv1 … conv10.
    public static let kernelSizes = [3, 3, 1, 3, 3, 1, 3, 3, 1, 3]

    /// The ten convolutions.
    public private(set) var convs: [Conv2d]
    /// The BN after each convolution (``Identity`` once folded).
    public private(set) var norms: [Module]
    /// First fully connected layer, 128 → 128.
    public let fc1: Linear
    /// Second fully connected layer, 128 → 128.
    public let fc2: Linear
    /// Embedding layer, 128 → embedding.
    public let fc3: Linear

    /// A student producing `embeddingSize`-dimensional embeddings (128 in the paper).
    public init(embeddingSize: Int = 128) {
        var inChannels = 3
        var convs: [Conv2d] = []
        for (width, kernel) in zip(Self.widths, Self.kernelSizes) {
            convs.append(Conv2d(inChannels, width, kernelSize: IntPair(kernel, kernel),
                                padding: IntPair(kernel / 2, kernel / 2), bias: false))
            inChannels = width
        }
        self.convs = convs
        norms = Self.widths.map { BatchNorm2d($0) }
        fc1 = Linear(inChannels, 128)
        fc2 = Linear(128, 128)
        fc3 = Linear(128, embeddingSize)
        super.init()
        for convolution in convs { Initializers.xavierUniform(convolution.weight) }
        for linear in [fc1, fc2, fc3] {
            Initializers.xavierUniform(linear.weight)
            if let bias = linear.bias { Initializers.zeros(bias) }
        }
    }

    /// `[N, 3, H, W]` (H, W ≥ 16) → `[N, embeddingSize]`.
    public override func forward(_ x: Tensor) -> Tensor {
        func normalized(_ index: Int, _ h: Tensor) -> Tensor { norms[index](convs[index](h)) }
        func unit(_ index: Int, _ h: Tensor) -> Tensor { Functional.relu(normalized(index, h)) }
        func pool(_ h: Tensor) -> Tensor { Functional.maxPool2d(h, kernelSize: [2, 2], ceilMode: true) }
        var h = pool(unit(0, x))
        let skip1 = unit(1, h)
        h = pool(Functional.relu(skip1 + normalized(3, unit(2, skip1))))
        let skip2 = unit(4, h)
        h = pool(Functional.relu(skip2 + normalized(6, unit(5, skip2))))
        h = unit(9, unit(8, unit(7, h))).mean([2, 3])
        return fc3(Functional.relu(fc2(Functional.relu(fc1(h)))))
    }

    /// Folds every BN into its convolution.
    public func foldBatchNorms() {
        for index in convs.indices { BatchNormFolding.fold(&convs[index], &norms[index]) }
    }
}
