/// Elementwise comparisons returning boolean tensors, with broadcasting.
///
/// The dotted operators (`.==`, `.<`, …) follow Swift's SIMD comparisons; `==` is deliberately not defined on
/// tensors, whose equality is a tensor, not a `Bool` (use ``Tensor/isEqual(to:)`` or
/// ``Tensor/allClose(to:relativeTolerance:absoluteTolerance:)``).
extension Tensor {
    /// Whether each element is equal to `other` (broadcast).
    public func eq(_ other: Tensor) -> Tensor { Torch.call("aten::eq.Tensor", self, other).tensor() }
    /// Whether each element is not equal to `other` (broadcast).
    public func ne(_ other: Tensor) -> Tensor { Torch.call("aten::ne.Tensor", self, other).tensor() }
    /// Whether each element is less than `other` (broadcast).
    public func lt(_ other: Tensor) -> Tensor { Torch.call("aten::lt.Tensor", self, other).tensor() }
    /// Whether each element is less than or equal to `other` (broadcast).
    public func le(_ other: Tensor) -> Tensor { Torch.call("aten::le.Tensor", self, other).tensor() }
    /// Whether each element is greater than `other` (broadcast).
    public func gt(_ other: Tensor) -> Tensor { Torch.call("aten::gt.Tensor", self, other).tensor() }
    /// Whether each element is greater than or equal to `other` (broadcast).
    public func ge(_ other: Tensor) -> Tensor { Torch.call("aten::ge.Tensor", self, other).tensor() }

    /// Whether each element is equal to `other`.
    public func eq(_ other: Double) -> Tensor { Torch.call("aten::eq.Scalar", self, other).tensor() }
    /// Whether each element is not equal to `other`.
    public func ne(_ other: Double) -> Tensor { Torch.call("aten::ne.Scalar", self, other).tensor() }
    /// Whether each element is less than `other`.
    public func lt(_ other: Double) -> Tensor { Torch.call("aten::lt.Scalar", self, other).tensor() }
    /// Whether each element is less than or equal to `other`.
    public func le(_ other: Double) -> Tensor { Torch.call("aten::le.Scalar", self, other).tensor() }
    /// Whether each element is greater than `other`.
    public func gt(_ other: Double) -> Tensor { Torch.call("aten::gt.Scalar", self, other).tensor() }
    /// Whether each element is greater than or equal to `other`.
    public func ge(_ other: Double) -> Tensor { Torch.call("aten::ge.Scalar", self, other).tensor() }

    /// Elementwise `lhs` equal to `rhs`, as a boolean tensor.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.eq(rhs) }
    /// Elementwise `lhs` not equal to `rhs`, as a boolean tensor.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ne(rhs) }
    /// Elementwise `lhs` less than `rhs`, as a boolean tensor.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.lt(rhs) }
    /// Elementwise `lhs` less than or equal to `rhs`, as a boolean tensor.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.le(rhs) }
    /// Elementwise `lhs` greater than `rhs`, as a boolean tensor.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.gt(rhs) }
    /// Elementwise `lhs` greater than or equal to `rhs`, as a boolean tensor.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ge(rhs) }

    /// Elementwise `lhs` equal to `rhs`, as a boolean tensor.
    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { lhs.eq(rhs) }
    /// Elementwise `lhs` not equal to `rhs`, as a boolean tensor.
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ne(rhs) }
    /// Elementwise `lhs` less than `rhs`, as a boolean tensor.
    public static func .< (lhs: Tensor, rhs: Double) -> Tensor { lhs.lt(rhs) }
    /// Elementwise `lhs` less than or equal to `rhs`, as a boolean tensor.
    public static func .<= (lhs: Tensor, rhs: Double) -> Tensor { lhs.le(rhs) }
    /// Elementwise `lhs` greater than `rhs`, as a boolean tensor.
    public static func .> (lhs: Tensor, rhs: Double) -> Tensor { lhs.gt(rhs) }
    /// Elementwise `lhs` greater than or equal to `rhs`, as a boolean tensor.
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
    /// Elementwise AND.
    public func logicalAnd(_ other: Tensor) -> Tensor { Torch.call("aten::logical_and", self, other).tensor() }
    /// Elementwise inclusive OR.
    public func logicalOr(_ other: Tensor) -> Tensor { Torch.call("aten::logical_or", self, other).tensor() }
    /// Elementwise exclusive OR.
    public func logicalXor(_ other: Tensor) -> Tensor { Torch.call("aten::logical_xor", self, other).tensor() }
    /// Elementwise NOT.
    public func logicalNot() -> Tensor { Torch.call("aten::logical_not", self).tensor() }

    /// Elementwise AND (``logicalAnd(_:)``).
    public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalAnd(rhs) }
    /// Elementwise inclusive OR (``logicalOr(_:)``).
    public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalOr(rhs) }
    /// Elementwise exclusive OR (``logicalXor(_:)``).
    public static func .^ (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalXor(rhs) }
    /// Elementwise NOT (``logicalNot()``).
    public static prefix func .! (operand: Tensor) -> Tensor { operand.logicalNot() }
}
