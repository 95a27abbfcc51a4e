import Torch

/// R³AN's representation path E (Table 1, middle part): a 3×56×56 face → a target-model feature, built from
/// MobileNetV2 inverted-residual bottlenecks.
///
/// Conv1–Conv5 are one bottleneck each (expansion 6): 3×56×56 → 32×28×28 → 64×14×14 → 96×14×14 → 160×7×7 →
/// 320×7×7; Conv6 is a 1×1 convolution to 1280 channels (batch norm, ReLU6), then global average pooling and a
/// fully connected layer to the target dimension (256 in the paper; here any).
public final class R3ANExtractor: Module {
    /// Dimension of the features it produces.
    public let targetDimension: Int
    public let conv1: InvertedResidual
    public let conv2: InvertedResidual
    public let conv3: InvertedResidual
    public let conv4: InvertedResidual
    public let conv5: InvertedResidual
    public let conv6: Conv2d
    public let bn6: BatchNorm2d
    public let fc: Linear

    /// An extractor producing `targetDimension`-dimensional features, with bottleneck expansion `expansion`.
    public init(targetDimension: Int, expansion: Int = 6) {
        precondition(targetDimension > 0, "R3ANExtractor: the target dimension must be positive")
        self.targetDimension = targetDimension
        conv1 = InvertedResidual(inChannels: 3, outChannels: 32, stride: 2, expansion: expansion)
        conv2 = InvertedResidual(inChannels: 32, outChannels: 64, stride: 2, expansion: expansion)
        conv3 = InvertedResidual(inChannels: 64, outChannels: 96, stride: 1, expansion: expansion)
        conv4 = InvertedResidual(inChannels: 96, outChannels: 160, stride: 2, expansion: expansion)
        conv5 = InvertedResidual(inChannels: 160, outChannels: 320, stride: 1, expansion: expansion)
        conv6 = Conv2d(320, 1280, kernelSize: 1, bias: false)
        bn6 = BatchNorm2d(1280)
        fc = Linear(1280, targetDimension)
        super.init()
    }

    /// `[N, 3, 56, 56]` faces → `[N, targetDimension]` features.
    public override func forward(_ faces: Tensor) -> Tensor {
        var x = conv5(conv4(conv3(conv2(conv1(faces)))))
        x = Functional.relu6(bn6(conv6(x)))
        return fc(Functional.adaptiveAvgPool2d(x, outputSize: [1, 1]).flattened(from: 1))
    }
}
