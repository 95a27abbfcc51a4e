import Torch

/// A small image classifier: conv-bn-relu-pool twice, conv-bn-relu, global average pool, linear.
///
/// Used by the binding-overhead benchmark (its Python twin is `Sources/VisageBenchmarks/Anchors/binding_overhead.py`, same layers
/// and state-dict names) and by the library demo.
public final class SmallConvNet: Module {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    public let conv3: Conv2d
    public let bn3: BatchNorm2d
    public let fc: Linear

    /// - Parameters:
    ///   - channels: input channels (3 for RGB).
    ///   - width: channels of the first convolution; the next two have 2× and 4× as many.
    ///   - classes: outputs of the final linear layer.
    public init(channels: Int = 3, width: Int = 32, classes: Int = 10) {
        conv1 = Conv2d(channels, width, kernelSize: 3, padding: 1, bias: false)
        bn1 = BatchNorm2d(width)
        conv2 = Conv2d(width, 2 * width, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(2 * width)
        conv3 = Conv2d(2 * width, 4 * width, kernelSize: 3, padding: 1, bias: false)
        bn3 = BatchNorm2d(4 * width)
        fc = Linear(4 * width, classes)
        super.init()
    }

    /// The pooled 4·width-dimensional features before the classifier.
    public func features(_ x: Tensor) -> Tensor {
        var h = Functional.maxPool2d(Functional.relu(bn1(conv1(x))), kernelSize: [2, 2])
        h = Functional.maxPool2d(Functional.relu(bn2(conv2(h))), kernelSize: [2, 2])
        h = Functional.relu(bn3(conv3(h)))
        return Functional.adaptiveAvgPool2d(h, outputSize: [1, 1]).flattened(from: 1)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        fc(features(x))
    }
}
