import CTorch
import Synchronization

/// A value passed to an ATen operator through ``Torch/call(_:_:)``.
///
/// The shim converts each argument to the type the operator's schema declares, so an `Int` may be passed
/// where a `float` or `Scalar` is expected, and `nil` where an optional is.
public enum Argument {
    case none
    case tensor(Tensor)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case ints([Int])
    case doubles([Double])
    case bools([Bool])
    case tensors([Tensor])
    /// `Tensor?[]`, as taken by advanced indexing.
    case optionalTensors([Tensor?])
    case string(String)
    /// A custom-class object an operator returned (packed quantized weights).
    case object(TorchObject)
    /// A keyword argument, matched to the schema by name.
    indirect case keyword(String, Argument)
}

/// Types usable directly as operator arguments.
public protocol ArgumentConvertible {
    var argument: Argument { get }
}

extension Argument: ArgumentConvertible { public var argument: Argument { self } }
extension Tensor: ArgumentConvertible { public var argument: Argument { .tensor(self) } }
extension Int: ArgumentConvertible { public var argument: Argument { .int(self) } }
extension Double: ArgumentConvertible { public var argument: Argument { .double(self) } }
extension Float: ArgumentConvertible { public var argument: Argument { .double(Double(self)) } }
extension Bool: ArgumentConvertible { public var argument: Argument { .bool(self) } }
extension String: ArgumentConvertible { public var argument: Argument { .string(self) } }
extension DType: ArgumentConvertible { public var argument: Argument { .int(Int(rawValue)) } }
extension MemoryFormat: ArgumentConvertible { public var argument: Argument { .int(Int(rawValue)) } }
extension Array: ArgumentConvertible where Element: ArgumentConvertible {
    public var argument: Argument {
        switch Element.self {
        case is Int.Type: .ints(self as! [Int])
        case is Double.Type: .doubles(self as! [Double])
        case is Float.Type: .doubles((self as! [Float]).map(Double.init))
        case is Bool.Type: .bools(self as! [Bool])
        case is Tensor.Type: .tensors(self as! [Tensor])
        default: fatalError("unsupported list argument of \(Element.self)")
        }
    }
}
extension Optional: ArgumentConvertible where Wrapped: ArgumentConvertible {
    public var argument: Argument { self?.argument ?? .none }
}

/// A keyword argument for ``Torch/call(_:_:)``: `kw("keepdim", true)`.
public func kw(_ name: String, _ value: some ArgumentConvertible) -> Argument {
    .keyword(name, value.argument)
}

/// One value returned by an ATen operator.
public enum OperatorResult {
    case none
    case tensor(Tensor)
    case tensors([Tensor])
    case int(Int)
    case double(Double)
    case bool(Bool)
    case object(TorchObject)
}

/// The results of one operator call; accessors return placeholders when the call failed inside
/// ``withTorchErrors``.
public struct OperatorResults {
    public var values: [OperatorResult]

    /// The tensor at `index` (an undefined placeholder if the call failed).
    public func tensor(_ index: Int = 0) -> Tensor {
        guard index < values.count, case .tensor(let tensor) = values[index] else { return Tensor.undefined }
        return tensor
    }

    /// The tensor list at `index` (empty if the call failed).
    public func tensors(_ index: Int = 0) -> [Tensor] {
        guard index < values.count, case .tensors(let tensors) = values[index] else { return [] }
        return tensors
    }

    /// The custom-class object at `index` (nil if the call failed).
    public func object(_ index: Int = 0) -> TorchObject? {
        guard index < values.count, case .object(let object) = values[index] else { return nil }
        return object
    }

    public func int(_ index: Int = 0) -> Int {
        guard index < values.count, case .int(let value) = values[index] else { return 0 }
        return value
    }

    public func double(_ index: Int = 0) -> Double {
        guard index < values.count else { return .nan }
        switch values[index] {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return .nan
        }
    }

    public func bool(_ index: Int = 0) -> Bool {
        guard index < values.count, case .bool(let value) = values[index] else { return false }
        return value
    }
}

/// Entry points to libtorch that are not tensor methods.
public enum Torch {
    /// Resolved operators by qualified name ("aten::add.Tensor"); resolution happens once per name.
    /// Stored as addresses: the operator objects live for the whole process and are immutable.
    private static let operators = Mutex<[String: UInt]>([:])

    /// Resolves an operator named like "aten::add.Tensor" (overload after the last dot, if any).
    static func resolve(_ qualifiedName: String) throws(TorchError) -> OpaquePointer {
        _ = Runtime.defaultsApplied
        if let cached = operators.withLock({ $0[qualifiedName] }), let op = OpaquePointer(bitPattern: cached) {
            return op
        }
        var name = qualifiedName
        var overload = ""
        if let separator = qualifiedName.range(of: "::"),
            let dot = qualifiedName[separator.upperBound...].lastIndex(of: ".")
        {
            name = String(qualifiedName[..<dot])
            overload = String(qualifiedName[qualifiedName.index(after: dot)...])
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let op = ctorch_op_find(name, overload, &error) else {
            throw takeError(error)
        }
        let address = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(op)))
        operators.withLock { $0[qualifiedName] = address }
        return op
    }

    /// Calls the ATen operator `name` ("aten::conv2d", "aten::add.Tensor") and throws on failure.
    ///
    /// Arguments are positional in schema order, or keywords made with ``kw(_:_:)``; omitted arguments take
    /// the schema's defaults.
    public static func tryCall(_ name: String, _ arguments: [any ArgumentConvertible]) throws(TorchError)
        -> OperatorResults
    {
        let op = try resolve(name)
        let converted = arguments.map(\.argument)
        return try withCValues(converted) { (values: UnsafeBufferPointer<ctorch_value>) throws(TorchError) in
            var results = [ctorch_result](repeating: ctorch_result(), count: 8)
            var count: Int64 = 0
            var error: UnsafeMutablePointer<CChar>?
            let status = ctorch_op_call(op, values.baseAddress, Int64(values.count), &results, 8, &count, &error)
            let outputs = (0..<Int(count)).map { OperatorResult(taking: results[$0]) }
            guard status == 0 else {
                throw takeError(error)
            }
            if OperatorRecording.anyRunning, let recorder = OperatorRecording.recorder {
                OperatorRecording.$recorder.withValue(nil) { recorder.record(name, arguments: converted, results: outputs) }
            }
            return OperatorResults(values: outputs)
        }
    }

    /// Calls the ATen operator `name`; a failure traps with libtorch's message, or inside ``withTorchErrors``
    /// is recorded there and yields placeholder results.
    @discardableResult
    public static func call(_ name: String, _ arguments: any ArgumentConvertible...) -> OperatorResults {
        do {
            return try tryCall(name, arguments)
        } catch {
            ErrorScope.report(error)
            return OperatorResults(values: [])
        }
    }
}

extension OperatorResult {
    /// Takes ownership of the handles in a shim result.
    init(taking result: ctorch_result) {
        switch result.kind {
        case Int32(CTORCH_VALUE_TENSOR.rawValue):
            self = .tensor(Tensor(taking: result.tensor!))
        case Int32(CTORCH_VALUE_TENSOR_LIST.rawValue):
            let handles = UnsafeBufferPointer(start: result.tensors, count: Int(result.count))
            // The list's handles are re-wrapped as shared handles so the array can be freed whole.
            let tensors = handles.map { Tensor(taking: ctorch_tensor_share($0)!) }
            ctorch_tensor_array_free(result.tensors, result.count)
            self = .tensors(tensors)
        case Int32(CTORCH_VALUE_INT.rawValue):
            self = .int(Int(result.int_value))
        case Int32(CTORCH_VALUE_DOUBLE.rawValue):
            self = .double(result.double_value)
        case Int32(CTORCH_VALUE_BOOL.rawValue):
            self = .bool(result.int_value != 0)
        case Int32(CTORCH_VALUE_OBJECT.rawValue):
            self = .object(TorchObject(taking: result.object!))
        default:
            self = .none
        }
    }
}

/// Lays `arguments` out as C values whose pointers stay valid for the duration of `body`.
private func withCValues<R>(
    _ arguments: [Argument], _ body: (UnsafeBufferPointer<ctorch_value>) throws(TorchError) -> R
) throws(TorchError) -> R {
    var storage: [UnsafeMutableRawPointer] = []
    defer { storage.forEach { $0.deallocate() } }

    func copy<T>(_ items: [T]) -> UnsafeRawPointer {
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: max(items.count, 1))
        buffer.initialize(from: items, count: items.count)
        storage.append(UnsafeMutableRawPointer(buffer))
        return UnsafeRawPointer(buffer)
    }

    func value(_ argument: Argument, name: UnsafePointer<CChar>?) -> ctorch_value {
        var result = ctorch_value()
        result.name = name
        switch argument {
        case .none:
            result.kind = Int32(CTORCH_VALUE_NONE.rawValue)
        case .tensor(let tensor):
            result.kind = Int32(CTORCH_VALUE_TENSOR.rawValue)
            result.items = UnsafeRawPointer(tensor.handle.pointer)
        case .int(let int):
            result.kind = Int32(CTORCH_VALUE_INT.rawValue)
            result.int_value = Int64(int)
        case .double(let double):
            result.kind = Int32(CTORCH_VALUE_DOUBLE.rawValue)
            result.double_value = double
        case .bool(let bool):
            result.kind = Int32(CTORCH_VALUE_BOOL.rawValue)
            result.int_value = bool ? 1 : 0
        case .ints(let ints):
            result.kind = Int32(CTORCH_VALUE_INT_LIST.rawValue)
            result.items = copy(ints.map(Int64.init))
            result.count = Int64(ints.count)
        case .doubles(let doubles):
            result.kind = Int32(CTORCH_VALUE_DOUBLE_LIST.rawValue)
            result.items = copy(doubles)
            result.count = Int64(doubles.count)
        case .bools(let bools):
            result.kind = Int32(CTORCH_VALUE_BOOL_LIST.rawValue)
            result.items = copy(bools)
            result.count = Int64(bools.count)
        case .tensors(let tensors):
            result.kind = Int32(CTORCH_VALUE_TENSOR_LIST.rawValue)
            result.items = copy(tensors.map { Optional($0.handle.pointer) })
            result.count = Int64(tensors.count)
        case .optionalTensors(let tensors):
            result.kind = Int32(CTORCH_VALUE_OPTIONAL_TENSOR_LIST.rawValue)
            result.items = copy(tensors.map { $0?.handle.pointer })
            result.count = Int64(tensors.count)
        case .string(let string):
            let bytes = Array(string.utf8)
            result.kind = Int32(CTORCH_VALUE_STRING.rawValue)
            result.items = copy(bytes)
            result.count = Int64(bytes.count)
        case .object(let object):
            result.kind = Int32(CTORCH_VALUE_OBJECT.rawValue)
            result.items = UnsafeRawPointer(object.pointer)
        case .keyword(let keyword, let inner):
            let cName = copy(Array(keyword.utf8CString))
            return value(inner, name: cName.assumingMemoryBound(to: CChar.self))
        }
        return result
    }

    let values = arguments.map { value($0, name: nil) }
    return try withExtendedLifetime(arguments) { () throws(TorchError) -> R in
        try values.withUnsafeBufferPointer { (buffer) throws(TorchError) -> R in try body(buffer) }
    }
}
