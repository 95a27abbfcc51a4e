import Foundation

/// A reader of dlib's serialization format (`dlib/serialize.h`), the format of dlib's `.dat` model files.
///
/// The encoding, as dlib writes it:
/// - an integer is one control byte — its low 4 bits the number of bytes that follow, bit 0x80 set for a
///   negative value — then that many bytes of the magnitude, least significant first;
/// - a floating-point number is its mantissa (a packed 64-bit integer) then its exponent (a packed 16-bit
///   integer), value = mantissa · 2^exponent; exponents 32000, 32001 and 32002 stand for +∞, −∞ and NaN;
/// - a string is its length (packed) then its bytes; a bool is the ASCII character `0` or `1`;
/// - a `std::vector` is its length then its elements; a `matrix` is −rows, −columns (negated since dlib 18.x;
///   older files store them positive) then its elements row by row;
/// - a DNN `tensor` is version 2, then samples, channels, rows and columns, then raw little-endian float32
///   values (version 1 stores each value as a packed float).
///
/// Every read throws a ``DataFileError`` naming the file and the byte offset where the data stopped making
/// sense, so a truncated or foreign file is reported instead of trapping.
public struct DlibArchive {
    /// The file the bytes came from, for messages.
    public let file: URL
    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var offset = 0

    /// An archive over the whole contents of `file`.
    public init(contentsOf file: URL) throws {
        self.init(bytes: [UInt8](try DataFileError.contents(of: file)), file: file)
    }

    /// An archive over `bytes`, reporting problems against `file`.
    public init(bytes: [UInt8], file: URL) {
        self.bytes = bytes
        self.file = file
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// An error at the current offset.
    public func error(_ message: String) -> DataFileError {
        DataFileError(file, "\(message) (at byte \(offset) of \(bytes.count))")
    }

    /// The next `count` bytes.
    public mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else {
            throw error("ends early: \(count) more bytes expected, \(bytes.count - offset) left")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// A packed integer (any of dlib's integer types).
    public mutating func readInt() throws -> Int64 {
        let control = try readBytes(1).first!
        let size = Int(control & 0x0F)
        guard size <= 8, control & 0x70 == 0 else {
            throw error("has an invalid integer control byte 0x\(String(control, radix: 16))")
        }
        var magnitude: UInt64 = 0
        for (index, byte) in try readBytes(size).enumerated() { magnitude |= UInt64(byte) << (8 * UInt64(index)) }
        let negative = control & 0x80 != 0
        guard magnitude <= UInt64(Int64.max) else { throw error("has an integer beyond 64 bits") }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// A packed integer that must lie in `range`; `what` names it in the error.
    public mutating func readInt(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        let start = offset
        let value = try readInt()
        guard value >= Int64(range.lowerBound), value <= Int64(range.upperBound) else {
            offset = start
            throw error("has \(what) \(value), expected \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(value)
    }

    /// A packed floating-point number.
    public mutating func readDouble() throws -> Double {
        let mantissa = try readInt()
        let exponent = try readInt()
        switch exponent {
        case 32000: return .infinity
        case 32001: return -.infinity
        case 32002: return .nan
        case -32768...32767: return Double(sign: .plus, exponent: Int(exponent), significand: Double(mantissa))
        default: throw error("has a float exponent \(exponent) beyond 16 bits")
        }
    }

    /// A packed floating-point number as float32.
    public mutating func readFloat() throws -> Float { Float(try readDouble()) }

    /// A bool, stored as the character `0` or `1`.
    public mutating func readBool() throws -> Bool {
        switch try readBytes(1).first! {
        case UInt8(ascii: "0"): return false
        case UInt8(ascii: "1"): return true
        case let other: throw error("has byte 0x\(String(other, radix: 16)) where a bool ('0' or '1') belongs")
        }
    }

    /// A string: its length then its bytes, as UTF-8.
    public mutating func readString() throws -> String {
        let length = try readInt("a string length", in: 0...(bytes.count - offset))
        return String(decoding: try readBytes(length), as: UTF8.self)
    }

    /// A string that must equal `expected`, as dlib's objects begin with their type name.
    public mutating func expectString(_ expected: String) throws {
        let start = offset
        let found = try readString()
        guard found == expected else {
            offset = start
            throw error("has '\(found.prefix(80))' where '\(expected)' belongs")
        }
    }

    /// A count of elements that follow, each at least `minimumBytes` long (bounds a corrupt length before any
    /// memory is reserved for it).
    public mutating func readCount(_ what: String, minimumBytes: Int = 1) throws -> Int {
        try readInt(what, in: 0...((bytes.count - offset) / max(minimumBytes, 1)))
    }

    /// A dlib `matrix` of floating-point values, row-major, with its shape.
    public mutating func readMatrix() throws -> (rows: Int, columns: Int, values: [Float]) {
        let rows = abs(try readInt("a matrix row count", in: -(1 << 31)...(1 << 31)))
        let columns = abs(try readInt("a matrix column count", in: -(1 << 31)...(1 << 31)))
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, count <= (bytes.count - offset) / 2 else {
            throw error("has a \(rows)×\(columns) matrix larger than the rest of the file")
        }
        var values = [Float]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readFloat()) }
        return (rows, columns, values)
    }

    /// A DNN tensor: its shape (samples, channels, rows, columns) and values.
    public mutating func readTensor() throws -> (shape: [Int], values: [Float]) {
        let version = try readInt("a tensor version", in: 1...2)
        var shape = [Int]()
        for name in ["sample", "channel", "row", "column"] {
            shape.append(try readInt("a tensor \(name) count", in: 0...Int(Int32.max)))
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= bytes.count else { throw error("has a tensor of shape \(shape), larger than the file") }
            count = product
        }
        if version == 1 {
            var values = [Float]()
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readFloat()) }
            return (shape, values)
        }
        let raw = try readBytes(4 * count)
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            raw.withUnsafeBytes { source in
                for index in 0..<count {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                }
            }
            initialized = count
        }
        return (shape, values)
    }
}
