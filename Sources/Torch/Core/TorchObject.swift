import CTorch

/// A TorchScript custom-class object an operator returned — the packed weights of a quantized convolution or
/// fully connected layer (`quantized::conv2d_prepack`, `quantized::linear_prepack`) — passed back to the
/// operators that take it with ``Argument/object(_:)``.
public final class TorchObject: @unchecked Sendable {
    let pointer: ctorch_object

    init(taking pointer: ctorch_object) {
        self.pointer = pointer
    }

    deinit {
        ctorch_object_free(pointer)
    }

    /// The object's class, e.g. `__torch__.torch.classes.quantized.Conv2dPackedParamsBase`.
    public var typeName: String {
        let text = ctorch_object_type_name(pointer)!
        defer { ctorch_string_free(text) }
        return String(cString: text)
    }
}

extension TorchObject: ArgumentConvertible {
    public var argument: Argument { .object(self) }
}
