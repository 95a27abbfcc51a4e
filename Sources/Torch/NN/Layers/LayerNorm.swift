/// Layer normalization over the trailing `normalizedShape` dimensions of each sample (`torch.nn.LayerNorm`).
///
/// State: `weight` (ones) and `bias` (zeros) of shape `normalizedShape` with `elementwiseAffine`.
public final class LayerNorm: Module {
    /// The trailing dimensions normalized together.
    public let normalizedShape: [Int]
    /// Added to the variance for numerical stability.
    public let eps: Double
    /// Elementwise scale of shape `normalizedShape`, or nil.
    public let weight: Tensor?
    /// Elementwise shift of shape `normalizedShape`, or nil.
    public let bias: Tensor?

    /// A layer normalization over trailing dimensions of `normalizedShape`.
    ///
    /// - Parameters:
    ///   - elementwiseAffine: learn an elementwise scale (and shift, if `bias`).
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(normalizedShape).requiresGrad(true) : nil
        self.bias = elementwiseAffine && bias ? makeParameter(normalizedShape) : nil
        super.init()
    }

    /// A layer normalization over a last dimension of `size`.
    public convenience init(_ size: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.init([size], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    /// The normalized input, of the input's shape.
    public override func forward(_ input: Tensor) -> Tensor {
        Functional.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}
