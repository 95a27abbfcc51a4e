import Foundation
import Torch

/// The 128-D MobileFaceNet trained on a refined MS-Celeb-1M (foamliu/MobileFaceNet, `weights/mobilefacenet.pt`),
/// a MobileNetV2-style network whose state-dict keys are that repository's, so its legacy-format PyTorch file
/// loads as it is (``load(from:)``).
///
/// Input normalization (first step) → 3×3 conv (64, stride 2) → BN → ReLU6 (`conv1`) → ``DepthwiseSeparable``
/// (`dw_conv`) → fifteen grouped ``InvertedResidual`` bottlenecks (`features`; expansion, channels, repeats,
/// first stride = (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)) → 1×1 conv to
/// 512 → BN → ReLU6 (`conv2`) → ``GlobalDepthwise`` 7×7 (`gdconv`) → 1×1 conv with bias to the embedding
/// (`conv3`) → BN (`bn`) → flatten. Inputs must be 112×112: the 7×7 global depthwise kernel covers the last map.
///
/// It takes images normalized the Visage way (pixel / 127.5 − 1, RGB) and converts them to the ImageNet
/// normalization it was trained with, ((pixel / 255) − mean) / std per channel, which is the affine map
/// `x · 0.5 / std + (0.5 − mean) / std`.
public final class MobileFaceNetMS1M: Module, BatchNormFoldable {
    /// The bottleneck table: expansion, output channels, repeats, first stride.
    public static let stages: [(expansion: Int, channels: Int, repeats: Int, stride: Int)] = [
        (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1),
    ]
    /// ImageNet's per-channel mean of pixel / 255, RGB.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet's per-channel standard deviation of pixel / 255, RGB.
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// Size of the embeddings.
    public let embeddingSize: Int
    /// Per-channel factor from Visage to ImageNet normalization, `[1, 3, 1, 1]` (not in the state dict).
    @Buffer var inputScale: Tensor
    /// Per-channel offset from Visage to ImageNet normalization, `[1, 3, 1, 1]` (not in the state dict).
    @Buffer var inputShift: Tensor
    /// Stem conv → BN → ReLU6.
    public private(set) var conv1: Sequential
    /// Depthwise-separable block after the stem.
    public let dwConv: DepthwiseSeparable
    /// The inverted-residual bottlenecks, in order.
    public let features: Sequential
    /// 1×1 conv to 512 → BN → ReLU6.
    public private(set) var conv2: Sequential
    /// 7×7 global depthwise convolution → BN.
    public let gdconv: GlobalDepthwise
    /// 1×1 conv with bias from 512 channels to the embedding.
    public private(set) var conv3: Conv2d
    /// Normalizes the embedding (``Identity`` once folded).
    public private(set) var bn: Module

    /// Maps `dwConv` to the repository's `dw_conv`.
    public override var stateKeyNames: [String: String] { ["dwConv": "dw_conv"] }

    /// A freshly initialized network producing `embeddingSize`-dimensional embeddings (the pretrained file
    /// has 128); convolutions use He initialization over the fan-out, as the repository's.
    public init(embeddingSize: Int = 128) {
        self.embeddingSize = embeddingSize
        let mean = Self.imageNetMean
        let std = Self.imageNetStd
        _inputScale = Buffer(wrappedValue: Tensor(std.map { 0.5 / $0 }).view([1, 3, 1, 1]), persistent: false)
        _inputShift = Buffer(wrappedValue: Tensor(zip(mean, std).map { (0.5 - $0) / $1 }).view([1, 3, 1, 1]),
                             persistent: false)
        conv1 = Sequential(
            Conv2d(3, 64, kernelSize: 3, stride: 2, padding: 1, bias: false), BatchNorm2d(64), ReLU6())
        dwConv = DepthwiseSeparable(64, 64)
        var channels = 64
        var bottlenecks: [Module] = []
        for stage in Self.stages {
            for index in 0..<stage.repeats {
                bottlenecks.append(InvertedResidual(
                    inChannels: channels, outChannels: stage.channels, stride: index == 0 ? stage.stride : 1,
                    expansion: stage.expansion, grouped: true))
                channels = stage.channels
            }
        }
        features = Sequential(bottlenecks)
        conv2 = Sequential(Conv2d(channels, 512, kernelSize: 1, bias: false), BatchNorm2d(512), ReLU6())
        gdconv = GlobalDepthwise(channels: 512)
        conv3 = Conv2d(512, embeddingSize, kernelSize: 1)
        bn = BatchNorm2d(embeddingSize)
        super.init()
        withoutGrad {
            for case let convolution as Conv2d in modules {
                Initializers.kaimingNormal(convolution.weight, mode: .fanOut)
                _ = convolution.bias?.zero_()
            }
        }
    }

    /// `[N, 3, 112, 112]` Visage-normalized images → `[N, embeddingSize]` embeddings, not L2-normalized.
    public override func forward(_ x: Tensor) -> Tensor {
        let imageNet = x * inputScale + inputShift
        let map = gdconv(conv2(features(dwConv(conv1(imageNet)))))
        let embedding = bn(conv3(map))
        return embedding.reshaped([embedding.shape[0], -1])
    }

    /// Folds the stem and head BNs into their convs and the embedding BN into `conv3` (the children fold
    /// their own).
    public func foldBatchNorms() {
        conv1 = BatchNormFolding.folded(conv1)
        conv2 = BatchNormFolding.folded(conv2)
        BatchNormFolding.fold(&conv3, &bn)
    }

    /// The pretrained network in the legacy-format PyTorch file at `url` (the repository's
    /// `mobilefacenet.pt`), in evaluation mode.
    ///
    /// - Throws: ``LegacyTorchFileError`` naming the file (and byte offset) when it cannot be read, or
    ///   ``StateDictError`` listing every missing key, unexpected key and shape mismatch when it is not this
    ///   network's state dict.
    public static func load(from url: URL) throws -> MobileFaceNetMS1M {
        let file = try LegacyTorchFile.read(from: url)
        let embeddingSize = file.tensors["conv3.weight"]?.shape.first ?? 128
        let model = MobileFaceNetMS1M(embeddingSize: embeddingSize)
        try model.loadStateDict(file.tensors, strict: true, origin: url.path)
        model.eval()
        return model
    }
}
