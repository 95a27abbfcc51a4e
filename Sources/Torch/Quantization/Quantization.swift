import CTorch

/// The 8-bit element types of quantized tensors; the raw values are libtorch's scalar-type codes.
public enum QuantizedElement: Int32, Sendable {
    /// Signed, for weights (symmetric, zero point 0).
    case qint8 = 12
    /// Unsigned, for activations (affine: a scale and a zero point).
    case quint8 = 13
}

extension QuantizedElement: ArgumentConvertible {
    public var argument: Argument { .int(Int(rawValue)) }
}

/// libtorch's quantized kernels: which engine runs them.
public enum QuantizedEngine {
    /// The engine the quantized operators use now ("onednn", "qnnpack", "fbgemm", "x86" or "none").
    public static var current: String { String(cString: ctorch_quantized_engine()) }

    /// Makes the quantized operators use the engine called `name`.
    /// - Throws: a ``TorchError`` naming the engines this libtorch offers when it has no such engine.
    public static func select(_ name: String) throws(TorchError) {
        var error: UnsafeMutablePointer<CChar>?
        guard ctorch_set_quantized_engine(name, &error) == 0 else { throw takeError(error) }
    }
}

extension Tensor {
    /// Whether the tensor holds quantized 8-bit values (``QuantizedElement``).
    public var isQuantized: Bool { ctorch_tensor_is_quantized(handle.pointer) }

    /// The tensor quantized with one scale and zero point: `q = clamp(round(x / scale) + zeroPoint)`, in the
    /// tensor's memory format. quint8 runs the shim's vectorized loop (the same values as libtorch's scalar one).
    public func quantized(scale: Double, zeroPoint: Int, as element: QuantizedElement = .quint8) -> Tensor {
        guard element == .quint8 else {
            return Torch.call("aten::quantize_per_tensor", self, scale, zeroPoint, element).tensor()
        }
        return Tensor.fromShim { result, error in
            ctorch_quantize_per_tensor_quint8(handle.pointer, scale, Int64(zeroPoint), &result, &error)
        }
    }

    /// The tensor quantized with one scale and zero point per slice along `axis` (`scales`: float64,
    /// `zeroPoints`: int64, one per slice).
    public func quantized(scales: Tensor, zeroPoints: Tensor, axis: Int, as element: QuantizedElement = .qint8)
        -> Tensor
    {
        Torch.call("aten::quantize_per_channel", self, scales, zeroPoints, axis, element).tensor()
    }

    /// The float32 values a quantized tensor stands for.
    public func dequantized() -> Tensor { Torch.call("aten::dequantize.self", self).tensor() }
}
