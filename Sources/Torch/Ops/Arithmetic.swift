/// Broadcasting arithmetic operators, as in PyTorch.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { Torch.call("aten::add.Tensor", lhs, rhs).tensor() }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { Torch.call("aten::sub.Tensor", lhs, rhs).tensor() }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { Torch.call("aten::mul.Tensor", lhs, rhs).tensor() }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { Torch.call("aten::div.Tensor", lhs, rhs).tensor() }

    public static func + (lhs: Tensor, rhs: Double) -> Tensor { Torch.call("aten::add.Scalar", lhs, rhs).tensor() }
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { Torch.call("aten::sub.Scalar", lhs, rhs).tensor() }
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { Torch.call("aten::mul.Scalar", lhs, rhs).tensor() }
    public static func / (lhs: Tensor, rhs: Double) -> Tensor { Torch.call("aten::div.Scalar", lhs, rhs).tensor() }

    public static func + (lhs: Double, rhs: Tensor) -> Tensor { rhs + lhs }
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { Torch.call("aten::rsub.Scalar", rhs, lhs).tensor() }
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { rhs * lhs }
    public static func / (lhs: Double, rhs: Tensor) -> Tensor { rhs.reciprocal() * lhs }

    public static prefix func - (operand: Tensor) -> Tensor { Torch.call("aten::neg", operand).tensor() }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
    public static func += (lhs: inout Tensor, rhs: Double) { lhs = lhs + rhs }
    public static func -= (lhs: inout Tensor, rhs: Double) { lhs = lhs - rhs }
    public static func *= (lhs: inout Tensor, rhs: Double) { lhs = lhs * rhs }
    public static func /= (lhs: inout Tensor, rhs: Double) { lhs = lhs / rhs }

    public func reciprocal() -> Tensor { Torch.call("aten::reciprocal", self).tensor() }

    /// Matrix product with broadcasting over leading dimensions (`torch.matmul`).
    public func matmul(_ other: Tensor) -> Tensor { Torch.call("aten::matmul", self, other).tensor() }

    /// Batched matrix product of two 3-D tensors.
    public func bmm(_ other: Tensor) -> Tensor { Torch.call("aten::bmm", self, other).tensor() }
}

/// In-place arithmetic. These change every copy of this tensor (they share storage), which is how optimizers
/// update parameters; call them on leaves only inside ``withoutGrad(_:)``.
extension Tensor {
    /// self += alpha * other
    @discardableResult
    public func add_(_ other: Tensor, alpha: Double = 1) -> Tensor {
        Torch.call("aten::add_.Tensor", self, other, alpha)
        return self
    }

    @discardableResult
    public func add_(_ scalar: Double) -> Tensor {
        Torch.call("aten::add_.Scalar", self, scalar)
        return self
    }

    @discardableResult
    public func sub_(_ other: Tensor, alpha: Double = 1) -> Tensor {
        Torch.call("aten::sub_.Tensor", self, other, alpha)
        return self
    }

    @discardableResult
    public func mul_(_ other: Tensor) -> Tensor {
        Torch.call("aten::mul_.Tensor", self, other)
        return self
    }

    @discardableResult
    public func mul_(_ scalar: Double) -> Tensor {
        Torch.call("aten::mul_.Scalar", self, scalar)
        return self
    }

    @discardableResult
    public func div_(_ other: Tensor) -> Tensor {
        Torch.call("aten::div_.Tensor", self, other)
        return self
    }

    @discardableResult
    public func div_(_ scalar: Double) -> Tensor {
        Torch.call("aten::div_.Scalar", self, scalar)
        return self
    }

    /// self += value * t1 * t2
    @discardableResult
    public func addcmul_(_ t1: Tensor, _ t2: Tensor, value: Double = 1) -> Tensor {
        Torch.call("aten::addcmul_", self, t1, t2, value)
        return self
    }

    /// self += value * t1 / t2
    @discardableResult
    public func addcdiv_(_ t1: Tensor, _ t2: Tensor, value: Double = 1) -> Tensor {
        Torch.call("aten::addcdiv_", self, t1, t2, value)
        return self
    }

    /// self = self + weight * (end - self)
    @discardableResult
    public func lerp_(_ end: Tensor, weight: Double) -> Tensor {
        Torch.call("aten::lerp_.Scalar", self, end, weight)
        return self
    }

    /// Copies `source` (broadcast to this shape) into this tensor's storage.
    @discardableResult
    public func copy_(_ source: Tensor) -> Tensor {
        Torch.call("aten::copy_", self, source)
        return self
    }

    @discardableResult
    public func zero_() -> Tensor {
        Torch.call("aten::zero_", self)
        return self
    }

    @discardableResult
    public func fill_(_ value: Double) -> Tensor {
        Torch.call("aten::fill_.Scalar", self, value)
        return self
    }

    @discardableResult
    public func clamp_(min: Double? = nil, max: Double? = nil) -> Tensor {
        Torch.call("aten::clamp_", self, min, max)
        return self
    }
}
