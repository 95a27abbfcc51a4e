/// Elementwise comparisons returning boolean tensors, with broadcasting.
///
/// The dotted operators (`.==`, `.<`, …) follow Swift's SIMD comparisons; `==` is deliberately not defined on
/// tensors, whose equality is a tensor, not a `Bool` (use ``Tensor/isEqual(to:)`` or
/// ``Tensor/allClose(to:relativeTolerance:absoluteTolerance:)``).
extension Tensor {
    public func eq(_ other: Tensor) -> Tensor { Torch.call("aten::eq.Tensor", self, other).tensor() }
    public func ne(_ other: Tensor) -> Tensor { Torch.call("aten::ne.Tensor", self, other).tensor() }
    public func lt(_ other: Tensor) -> Tensor { Torch.call("aten::lt.Tensor", self, other).tensor() }
    public func le(_ other: Tensor) -> Tensor { Torch.call("aten::le.Tensor", self, other).tensor() }
    public func gt(_ other: Tensor) -> Tensor { Torch.call("aten::gt.Tensor", self, other).tensor() }
    public func ge(_ other: Tensor) -> Tensor { Torch.call("aten::ge.Tensor", self, other).tensor() }

    public func eq(_ other: Double) -> Tensor { Torch.call("aten::eq.Scalar", self, other).tensor() }
    public func ne(_ other: Double) -> Tensor { Torch.call("aten::ne.Scalar", self, other).tensor() }
    public func lt(_ other: Double) -> Tensor { Torch.call("aten::lt.Scalar", self, other).tensor() }
    public func le(_ other: Double) -> Tensor { Torch.call("aten::le.Scalar", self, other).tensor() }
    public func gt(_ other: Double) -> Tensor { Torch.call("aten::gt.Scalar", self, other).tensor() }
    public func ge(_ other: Double) -> Tensor { Torch.call("aten::ge.Scalar", self, other).tensor() }

    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.eq(rhs) }
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ne(rhs) }
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.lt(rhs) }
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.le(rhs) }
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.gt(rhs) }
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ge(rhs) }

    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { lhs.eq(rhs) }
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ne(rhs) }
    public static func .< (lhs: Tensor, rhs: Double) -> Tensor { lhs.lt(rhs) }
    public static func .<= (lhs: Tensor, rhs: Double) -> Tensor { lhs.le(rhs) }
    public static func .> (lhs: Tensor, rhs: Double) -> Tensor { lhs.gt(rhs) }
    public static func .>= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ge(rhs) }

    /// Whether both tensors have the same shape and elements (`torch.equal`).
    public func isEqual(to other: Tensor) -> Bool { Torch.call("aten::equal", self, other).bool() }

    /// Whether `|self − other| ≤ absoluteTolerance + relativeTolerance · |other|` everywhere (`torch.allclose`).
    public func allClose(
        to other: Tensor, relativeTolerance: Double = 1e-5, absoluteTolerance: Double = 1e-8
    ) -> Bool {
        Torch.call("aten::allclose", self, other, relativeTolerance, absoluteTolerance).bool()
    }

    /// Elementwise `|self − other| ≤ absoluteTolerance + relativeTolerance · |other|`, as a boolean tensor.
    public func isClose(
        to other: Tensor, relativeTolerance: Double = 1e-5, absoluteTolerance: Double = 1e-8
    ) -> Tensor {
        Torch.call("aten::isclose", self, other, relativeTolerance, absoluteTolerance).tensor()
    }
}

/// Elementwise logic on boolean tensors (other dtypes count nonzero as true).
extension Tensor {
    public func logicalAnd(_ other: Tensor) -> Tensor { Torch.call("aten::logical_and", self, other).tensor() }
    public func logicalOr(_ other: Tensor) -> Tensor { Torch.call("aten::logical_or", self, other).tensor() }
    public func logicalXor(_ other: Tensor) -> Tensor { Torch.call("aten::logical_xor", self, other).tensor() }
    public func logicalNot() -> Tensor { Torch.call("aten::logical_not", self).tensor() }

    public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalAnd(rhs) }
    public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalOr(rhs) }
    public static func .^ (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalXor(rhs) }
    public static prefix func .! (operand: Tensor) -> Tensor { operand.logicalNot() }
}
