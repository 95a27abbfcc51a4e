import CTorch

/// The identity of a libtorch tensor object, used to key per-parameter optimizer state the way PyTorch keys
/// `optimizer.state` by parameter: copies of a ``Tensor`` (which share the object) map to the same identity.
public struct ParameterIdentity: Hashable, Sendable {
    let raw: UInt

    public init(_ tensor: Tensor) {
        raw = UInt(ctorch_tensor_identity(tensor.handle.pointer))
    }
}
