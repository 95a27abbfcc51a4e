import CTorch

/// Element type of a tensor; the raw values are libtorch's scalar-type codes.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0
    case int8 = 1
    case int16 = 2
    case int32 = 3
    case int64 = 4
    case float16 = 5
    case float32 = 6
    case float64 = 7
    case bool = 11
    /// Brain floating point: float32's exponent with an 8-bit significand; CPUs with AVX-512 BF16 multiply it
    /// natively. No Swift element type maps to it: convert with ``Tensor/to(_:)``.
    case bfloat16 = 15

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .int16, .float16, .bfloat16: 2
        case .int32, .float32: 4
        case .int64, .float64: 8
        }
    }

    public var isFloatingPoint: Bool { self == .float16 || self == .bfloat16 || self == .float32 || self == .float64 }

    public var description: String {
        switch self {
        case .uint8: "uint8"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .float32: "float32"
        case .float64: "float64"
        case .bool: "bool"
        }
    }
}

/// Swift element types that map to a tensor dtype, for building tensors from arrays and reading them back.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int16: TensorElement { public static var dtype: DType { .int16 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }

/// Where a tensor lives. Visage runs on CPU; the type keeps device-aware signatures stable.
public enum Device: Sendable, Equatable, CustomStringConvertible {
    case cpu

    public var description: String { "cpu" }
}

/// Memory layout of a 4-D tensor.
public enum MemoryFormat: Int32, Sendable {
    /// NCHW, row-major.
    case contiguous = 0
    /// NHWC in memory while keeping the NCHW shape; faster for convolutions on CPU.
    case channelsLast = 2
}
