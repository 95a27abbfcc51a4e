extension Functional {
    /// `max(x, 0)`.
    public static func relu(_ x: Tensor) -> Tensor { Torch.call("aten::relu", x).tensor() }

    /// `min(max(x, 0), 6)`, as in MobileNet.
    public static func relu6(_ x: Tensor) -> Tensor { Torch.call("aten::hardtanh", x, 0.0, 6.0).tensor() }

    /// `x` where positive, `negativeSlope · x` elsewhere.
    public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) -> Tensor {
        Torch.call("aten::leaky_relu", x, negativeSlope).tensor()
    }

    /// Leaky ReLU with a learned slope: `weight` has one element (shared) or one per channel (dimension 1).
    public static func prelu(_ x: Tensor, weight: Tensor) -> Tensor {
        Torch.call("aten::prelu", x, weight).tensor()
    }

    /// How ``gelu(_:approximation:)`` evaluates the Gaussian CDF.
    public enum GELUApproximation: String, Sendable {
        /// The exact form `x · Φ(x)` with the error function.
        case none
        /// The tanh approximation of Hendrycks and Gimpel.
        case tanh
    }

    /// Gaussian error linear unit `x · Φ(x)`.
    public static func gelu(_ x: Tensor, approximation: GELUApproximation = .none) -> Tensor {
        Torch.call("aten::gelu", x, kw("approximate", approximation.rawValue)).tensor()
    }

    /// `x · sigmoid(x)` (also called swish).
    public static func silu(_ x: Tensor) -> Tensor { Torch.call("aten::silu", x).tensor() }

    /// Exponential linear unit: `x` where positive, `alpha · (exp(x) − 1)` elsewhere.
    public static func elu(_ x: Tensor, alpha: Double = 1) -> Tensor {
        Torch.call("aten::elu", x, alpha).tensor()
    }

    /// `log(1 + exp(beta · x)) / beta`, reverting to `x` where `beta · x > threshold`.
    public static func softplus(_ x: Tensor, beta: Double = 1, threshold: Double = 20) -> Tensor {
        Torch.call("aten::softplus", x, beta, threshold).tensor()
    }

    /// `1 / (1 + exp(−x))`.
    public static func sigmoid(_ x: Tensor) -> Tensor { Torch.call("aten::sigmoid", x).tensor() }

    /// Hyperbolic tangent.
    public static func tanh(_ x: Tensor) -> Tensor { Torch.call("aten::tanh", x).tensor() }

    /// `exp(x) / Σ exp(x)` along `dim`.
    public static func softmax(_ x: Tensor, dim: Int) -> Tensor {
        Torch.call("aten::softmax.int", x, dim).tensor()
    }

    /// `x − logsumexp(x)` along `dim`, computed stably.
    public static func logSoftmax(_ x: Tensor, dim: Int) -> Tensor {
        Torch.call("aten::log_softmax.int", x, dim).tensor()
    }
}
