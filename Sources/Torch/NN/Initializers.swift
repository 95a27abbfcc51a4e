import Foundation

/// Weight initialization schemes, as `torch.nn.init`.
///
/// Every function fills the given tensor **in place**, without recording gradients, and returns it, so it
/// works on parameters that already require gradients and on tensors an optimizer already holds. Random
/// draws use libtorch's generator (seed it with ``Runtime/seed(_:)``). As in PyTorch, the fan-based schemes
/// leave a tensor without elements unchanged.
public enum Initializers {
    /// Which fan the Kaiming schemes preserve the variance of.
    public enum FanMode: Sendable {
        /// Inputs per output unit: preserves the variance of activations in the forward pass.
        case fanIn
        /// Outputs per input unit: preserves the variance of gradients in the backward pass.
        case fanOut
    }

    /// The activation following a layer, which sets the recommended gain (`torch.nn.init.calculate_gain`).
    public enum Nonlinearity: Sendable, Equatable {
        /// Identity, linear or convolution layers: gain 1.
        case linear
        /// Gain 1.
        case sigmoid
        /// Gain 5/3.
        case tanh
        /// Gain √2.
        case relu
        /// Gain √(2 / (1 + slope²)).
        case leakyRelu(negativeSlope: Double)
        /// Gain 3/4.
        case selu

        /// The recommended gain for this nonlinearity.
        public var gain: Double {
            switch self {
            case .linear, .sigmoid: 1
            case .tanh: 5.0 / 3.0
            case .relu: 2.0.squareRoot()
            case .leakyRelu(let slope): (2 / (1 + slope * slope)).squareRoot()
            case .selu: 0.75
            }
        }
    }

    /// Fan-in and fan-out of a weight of at least two dimensions, as PyTorch computes them:
    /// `size(1) × receptive field` and `size(0) × receptive field`, where the receptive field is the product
    /// of the dimensions after the first two.
    public static func fans(of tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
        let shape = tensor.shape
        precondition(shape.count >= 2, "fan in and fan out need a tensor of at least 2 dimensions, got \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    /// Fills `tensor` from U(−bound, bound) with `bound = gain · √(3 / fan)` (He et al., 2015).
    ///
    /// PyTorch's default for Linear and Conv weights is `nonlinearity: .leakyRelu(negativeSlope: √5)`.
    @discardableResult
    public static func kaimingUniform(
        _ tensor: Tensor, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0)
    ) -> Tensor {
        guard tensor.count > 0 else { return tensor }
        let bound = nonlinearity.gain * (3 / Double(fan(of: tensor, mode))).squareRoot()
        return uniform(tensor, low: -bound, high: bound)
    }

    /// Fills `tensor` from N(0, std²) with `std = gain / √fan` (He et al., 2015).
    @discardableResult
    public static func kaimingNormal(
        _ tensor: Tensor, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0)
    ) -> Tensor {
        guard tensor.count > 0 else { return tensor }
        let std = nonlinearity.gain / Double(fan(of: tensor, mode)).squareRoot()
        return normal(tensor, mean: 0, std: std)
    }

    /// Fills `tensor` from U(−a, a) with `a = gain · √(6 / (fanIn + fanOut))` (Glorot and Bengio, 2010).
    @discardableResult
    public static func xavierUniform(_ tensor: Tensor, gain: Double = 1) -> Tensor {
        guard tensor.count > 0 else { return tensor }
        let (fanIn, fanOut) = fans(of: tensor)
        let bound = gain * (6 / Double(fanIn + fanOut)).squareRoot()
        return uniform(tensor, low: -bound, high: bound)
    }

    /// Fills `tensor` from N(0, std²) with `std = gain · √(2 / (fanIn + fanOut))` (Glorot and Bengio, 2010).
    @discardableResult
    public static func xavierNormal(_ tensor: Tensor, gain: Double = 1) -> Tensor {
        guard tensor.count > 0 else { return tensor }
        let (fanIn, fanOut) = fans(of: tensor)
        return normal(tensor, mean: 0, std: gain * (2 / Double(fanIn + fanOut)).squareRoot())
    }

    /// Fills `tensor` from U(low, high).
    @discardableResult
    public static func uniform(_ tensor: Tensor, low: Double = 0, high: Double = 1) -> Tensor {
        withoutGrad { _ = Torch.call("aten::uniform_", tensor, low, high) }
        return tensor
    }

    /// Fills `tensor` from N(mean, std²).
    @discardableResult
    public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1) -> Tensor {
        withoutGrad { _ = Torch.call("aten::normal_", tensor, mean, std) }
        return tensor
    }

    /// Fills `tensor` with `value`.
    @discardableResult
    public static func constant(_ tensor: Tensor, _ value: Double) -> Tensor {
        withoutGrad { _ = tensor.fill_(value) }
        return tensor
    }

    /// Fills `tensor` with zeros.
    @discardableResult
    public static func zeros(_ tensor: Tensor) -> Tensor { constant(tensor, 0) }

    /// Fills `tensor` with ones.
    @discardableResult
    public static func ones(_ tensor: Tensor) -> Tensor { constant(tensor, 1) }

    private static func fan(of tensor: Tensor, _ mode: FanMode) -> Int {
        let (fanIn, fanOut) = fans(of: tensor)
        return mode == .fanIn ? fanIn : fanOut
    }
}

extension Initializers {
    /// PyTorch's default initialization of Linear and convolution layers: the weight from Kaiming uniform with
    /// `a = √5` (so U(−1/√fanIn, 1/√fanIn)), the bias from U(−1/√fanIn, 1/√fanIn).
    static func layerDefault(weight: Tensor, bias: Tensor?) {
        kaimingUniform(weight, nonlinearity: .leakyRelu(negativeSlope: 5.0.squareRoot()))
        if let bias, weight.count > 0 {
            let bound = 1 / Double(fans(of: weight).fanIn).squareRoot()
            uniform(bias, low: -bound, high: bound)
        }
    }
}

/// A new parameter of `shape` (zero-filled, to be initialized in place) that records gradients.
func makeParameter(_ shape: [Int]) -> Tensor {
    Tensor.zeros(shape).requiresGrad(true)
}
