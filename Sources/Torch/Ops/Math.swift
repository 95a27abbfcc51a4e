/// Elementwise math.
extension Tensor {
    public func exp() -> Tensor { Torch.call("aten::exp", self).tensor() }
    public func log() -> Tensor { Torch.call("aten::log", self).tensor() }
    public func sqrt() -> Tensor { Torch.call("aten::sqrt", self).tensor() }
    public func rsqrt() -> Tensor { Torch.call("aten::rsqrt", self).tensor() }
    public func abs() -> Tensor { Torch.call("aten::abs", self).tensor() }
    public func sign() -> Tensor { Torch.call("aten::sign", self).tensor() }
    public func square() -> Tensor { self * self }
    public func pow(_ exponent: Double) -> Tensor { Torch.call("aten::pow.Tensor_Scalar", self, exponent).tensor() }
    public func pow(_ exponent: Tensor) -> Tensor { Torch.call("aten::pow.Tensor_Tensor", self, exponent).tensor() }
    public func sin() -> Tensor { Torch.call("aten::sin", self).tensor() }
    public func cos() -> Tensor { Torch.call("aten::cos", self).tensor() }
    public func acos() -> Tensor { Torch.call("aten::acos", self).tensor() }
    public func tanh() -> Tensor { Torch.call("aten::tanh", self).tensor() }
    public func sigmoid() -> Tensor { Torch.call("aten::sigmoid", self).tensor() }
    public func erf() -> Tensor { Torch.call("aten::erf", self).tensor() }
    public func floor() -> Tensor { Torch.call("aten::floor", self).tensor() }
    public func ceil() -> Tensor { Torch.call("aten::ceil", self).tensor() }
    public func round() -> Tensor { Torch.call("aten::round", self).tensor() }
    public func isnan() -> Tensor { Torch.call("aten::isnan", self).tensor() }
    public func isfinite() -> Tensor { Torch.call("aten::isfinite", self).tensor() }

    /// Values limited to [min, max]; either bound may be omitted.
    public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
        Torch.call("aten::clamp", self, min, max).tensor()
    }

    /// `condition ? self : other`, elementwise with broadcasting.
    public func `where`(_ condition: Tensor, _ other: Tensor) -> Tensor {
        Torch.call("aten::where.self", condition, self, other).tensor()
    }

    /// This tensor with `value` where `mask` is true.
    public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
        Torch.call("aten::masked_fill.Scalar", self, mask, value).tensor()
    }

    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { Torch.call("aten::maximum", a, b).tensor() }
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { Torch.call("aten::minimum", a, b).tensor() }
}
