import CTorch

/// Owns one shim tensor handle and frees it when the last ``Tensor`` referring to it goes away.
public final class TensorHandle {
    let pointer: ctorch_tensor

    init(taking pointer: ctorch_tensor) {
        self.pointer = pointer
    }

    deinit {
        ctorch_tensor_free(pointer)
    }
}

/// An n-dimensional array backed by a libtorch tensor, with autograd.
///
/// `Tensor` is a value-looking wrapper around a reference to libtorch's tensor: copies of a `Tensor` share
/// storage, as Python variables do. In-place methods (suffix `_`) therefore change every copy — that is how
/// optimizers update a module's parameters.
public struct Tensor {
    public let handle: TensorHandle

    /// Wraps a handle the caller owns.
    init(taking pointer: ctorch_tensor) {
        handle = TensorHandle(taking: pointer)
    }

    /// A placeholder with no data, returned by operations that failed inside ``withTorchErrors``.
    public static var undefined: Tensor { Tensor(taking: ctorch_tensor_undefined()) }

    /// The tensor a shim function returns through its `result` out-parameter (0 on success); a failure is
    /// reported like a failed operator's (``Torch/call(_:_:)``) and yields ``undefined``.
    static func fromShim(_ body: (inout ctorch_tensor?, inout UnsafeMutablePointer<CChar>?) -> Int32) -> Tensor {
        var result: ctorch_tensor?
        var error: UnsafeMutablePointer<CChar>?
        guard body(&result, &error) == 0, let result else {
            ErrorScope.report(takeError(error))
            return .undefined
        }
        return Tensor(taking: result)
    }

    /// Whether this refers to actual data (false for ``undefined`` placeholders).
    public var isDefined: Bool { ctorch_tensor_is_defined(handle.pointer) }

    // MARK: Metadata

    public var rank: Int { Int(ctorch_tensor_dim(handle.pointer)) }

    public var shape: [Int] {
        let rank = rank
        var sizes = [Int64](repeating: 0, count: rank)
        sizes.withUnsafeMutableBufferPointer { ctorch_tensor_sizes(handle.pointer, $0.baseAddress) }
        return sizes.map(Int.init)
    }

    public var strides: [Int] {
        let rank = rank
        var strides = [Int64](repeating: 0, count: rank)
        strides.withUnsafeMutableBufferPointer { ctorch_tensor_strides(handle.pointer, $0.baseAddress) }
        return strides.map(Int.init)
    }

    /// Size of dimension `dimension` (negative counts from the end).
    public func size(_ dimension: Int) -> Int {
        let shape = shape
        return shape[dimension < 0 ? dimension + shape.count : dimension]
    }

    public var count: Int { Int(ctorch_tensor_numel(handle.pointer)) }

    public var dtype: DType { DType(rawValue: ctorch_tensor_dtype(handle.pointer)) ?? .float32 }

    public var device: Device { .cpu }

    public func isContiguous(_ format: MemoryFormat = .contiguous) -> Bool {
        ctorch_tensor_is_contiguous(handle.pointer, format.rawValue)
    }

    /// Whether two tensors are the same libtorch object (not merely equal values).
    public func isSameTensor(as other: Tensor) -> Bool {
        ctorch_tensor_identity(handle.pointer) == ctorch_tensor_identity(other.handle.pointer)
    }

    // MARK: From and to Swift arrays

    /// A tensor holding `elements` in row-major order with the given shape.
    ///
    /// Throws if the element count does not match the shape or a dimension is negative.
    public init<Element: TensorElement>(_ elements: [Element], shape: [Int]) throws(TorchError) {
        let made: Result<Tensor, TorchError> = elements.withUnsafeBytes { bytes in
            Result { () throws(TorchError) in try Tensor(bytes: bytes, shape: shape, dtype: Element.dtype) }
        }
        self = try made.get()
    }

    /// A 1-D tensor of `elements`.
    public init<Element: TensorElement>(_ elements: [Element]) {
        // A 1-D shape always matches its own element count.
        self = try! Tensor(elements, shape: [elements.count])
    }

    /// A 0-D tensor holding `value`.
    public init<Element: TensorElement>(scalar value: Element) {
        self = try! Tensor([value], shape: [])
    }

    /// A tensor made by copying raw row-major bytes of `dtype` elements.
    public init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws(TorchError) {
        var error: UnsafeMutablePointer<CChar>?
        let sizes = shape.map(Int64.init)
        let pointer = sizes.withUnsafeBufferPointer {
            ctorch_tensor_from_data(bytes.baseAddress, Int64(bytes.count), $0.baseAddress, Int64(shape.count),
                                    dtype.rawValue, &error)
        }
        guard let pointer else { throw takeError(error) }
        self.init(taking: pointer)
    }

    /// The elements in row-major order, converted to `Element`'s dtype if needed.
    public func array<Element: TensorElement>(of type: Element.Type = Element.self) -> [Element] {
        let source = dtype == Element.dtype ? self : to(Element.dtype)
        guard source.isDefined else { return [] }
        let count = source.count
        var error: UnsafeMutablePointer<CChar>?
        let elements = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let status = ctorch_tensor_copy_to(source.handle.pointer, buffer.baseAddress,
                                               Int64(count * MemoryLayout<Element>.stride), &error)
            initialized = status == 0 ? count : 0
        }
        if elements.count != count {
            ErrorScope.report(takeError(error))
        }
        return elements
    }

    /// The single element of a one-element tensor, as a `Double` (NaN for a failed placeholder).
    public var item: Double {
        let values = array(of: Double.self)
        if values.count != 1 {
            if isDefined { ErrorScope.report(TorchError("item() needs one element, tensor has shape \(shape)")) }
            return .nan
        }
        return values[0]
    }

    /// Calls `body` with the contiguous tensor's element memory, for filling it in place.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        var error: UnsafeMutablePointer<CChar>?
        guard let pointer = ctorch_tensor_data_pointer(handle.pointer, &error) else {
            throw takeError(error)
        }
        return try body(UnsafeMutableRawBufferPointer(start: pointer, count: count * dtype.byteSize))
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let text = ctorch_tensor_describe(handle.pointer)!
        defer { ctorch_string_free(text) }
        return String(cString: text)
    }
}
