import Torch

/// Size and arithmetic cost of a network for one input.
///
/// FLOPs are counted as 2 × the multiply-accumulates (MACs) of the convolutions and fully connected layers
/// for a single image (batch 1); biases, normalization, activations, pooling and residual additions are not
/// counted (under 1% of these networks' cost). insightface's tables call MACs "FLOPs": arcface_torch's
/// `flops.py` prints ptflops' MAC count (which also adds one per normalized or activated element) as
/// "GFLOPs". So its IResNet-50 "6.3 GFLOPs" is our ``multiplyAccumulates`` (6.309G, equal to a PyTorch hook
/// count of the same layers) and 12.6 GFLOPs by this convention; MobileFaceNet's "0.45" is our 0.438G MACs.
public struct ModelProfile: Sendable, Equatable {
    /// Number of parameter elements (shared tensors once, frozen ones included).
    public var parameters: Int
    /// Floating-point operations for one image: 2 × ``multiplyAccumulates``.
    public var flops: Int
    /// Multiply-accumulates of the convolutions and fully connected layers for one image.
    public var multiplyAccumulates: Int { flops / 2 }

    /// A profile with the given counts.
    public init(parameters: Int, flops: Int) {
        self.parameters = parameters
        self.flops = flops
    }

    /// Counts `model`'s parameters and runs it once in evaluation mode, without gradients, on a zero
    /// `1 × channels × inputSize × inputSize` image to count its operations; the model's training mode is
    /// restored afterwards. Throws the libtorch error if the model cannot take that input size.
    public static func measure(_ model: Module, inputSize: Int, channels: Int = 3) throws -> ModelProfile {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let counter = FLOPCounter()
        try withTorchErrors {
            counter.record {
                _ = withoutGrad { model(Tensor.zeros([1, channels, inputSize, inputSize])) }
            }
        }
        return ModelProfile(parameters: model.parameterCount, flops: 2 * counter.multiplyAccumulates)
    }
}
