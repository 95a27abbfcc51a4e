/// Leaky ReLU with learned negative slopes (`torch.nn.PReLU`): `x` where positive, `weight · x` elsewhere.
///
/// With one parameter the slope is shared; with one per channel, channel `c` (dimension 1) uses `weight[c]`.
public final class PReLU: Module {
    /// The slopes, `[numParameters]`, initially `initialSlope`.
    public let weight: Tensor

    /// A PReLU with `numParameters` slopes (1, or the number of input channels).
    public init(_ numParameters: Int = 1, initialSlope: Double = 0.25) {
        weight = Tensor.full([numParameters], initialSlope).requiresGrad(true)
        super.init()
    }

    /// The activated input, of the input's shape.
    public override func forward(_ input: Tensor) -> Tensor {
        Functional.prelu(input, weight: weight)
    }
}
