/// Marks a module's tensor property as a buffer: state that is saved and loaded with the module but is not a
/// trainable parameter (BatchNorm's `running_mean`, `running_var`, `num_batches_tracked`).
///
/// ```swift
/// final class Normalizer: Module {
///     @Buffer var mean: Tensor              // saved in the state dict as "mean"
///     @Buffer(persistent: false) var scratch: Tensor?   // listed by namedBuffers(), never saved
/// }
/// ```
///
/// An optional buffer that is nil is absent, as a PyTorch buffer registered as `None` is. A non-persistent
/// buffer appears in ``Module/namedBuffers()`` but not in ``Module/stateDict()``, as in PyTorch.
@propertyWrapper
public struct Buffer<Value: BufferValue> {
    /// The tensor (or nil) the property holds.
    public var wrappedValue: Value
    /// Whether the buffer belongs to the state dict (saved and loaded with the module).
    public let persistent: Bool

    /// A buffer holding `wrappedValue`; `persistent: false` keeps it out of the state dict.
    public init(wrappedValue: Value, persistent: Bool = true) {
        self.wrappedValue = wrappedValue
        self.persistent = persistent
    }
}

/// The types a ``Buffer`` can hold: `Tensor` and `Tensor?`.
public protocol BufferValue {
    /// The tensor held, or nil for an absent optional buffer.
    var bufferTensor: Tensor? { get }
}

extension Tensor: BufferValue {
    /// The tensor itself.
    public var bufferTensor: Tensor? { self }
}

extension Optional: BufferValue where Wrapped == Tensor {
    /// The wrapped tensor, or nil.
    public var bufferTensor: Tensor? { self }
}

/// Type-erased view of a ``Buffer`` for reflection.
protocol BufferStorage {
    var storedTensor: Tensor? { get }
    var isPersistent: Bool { get }
}

extension Buffer: BufferStorage {
    var storedTensor: Tensor? { wrappedValue.bufferTensor }
    var isPersistent: Bool { persistent }
}
