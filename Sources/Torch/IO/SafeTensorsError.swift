/// A safetensors file that could not be read or written, naming the file, the tensor key when one is
/// involved, and what is wrong.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// What is wrong with the file or with a tensor in it.
    public enum Problem: Equatable, Sendable {
        /// The file could not be read (missing, a folder, no permission).
        case unreadable(reason: String)
        /// The file is too short to hold the 8-byte header length.
        case missingHeaderLength(fileSize: Int)
        /// The header length is larger than the format's 100 MB limit.
        case headerTooLarge(declared: UInt64)
        /// The header length points past the end of the file.
        case headerBeyondFile(declared: UInt64, available: Int)
        /// The header is not a JSON object of the expected form.
        case invalidHeader(detail: String)
        /// A tensor entry lacks a field or has one of the wrong type.
        case invalidEntry(detail: String)
        /// The dtype is not a safetensors dtype.
        case unknownDType(String)
        /// The dtype is valid safetensors but has no Torch counterpart (U16, U32, U64, F8_*).
        case unsupportedDType(String)
        /// The entry's byte range disagrees with its shape and dtype.
        case byteCountMismatch(shape: [Int], dtype: String, expected: Int, actual: Int)
        /// The entry's byte range ends past the data section.
        case offsetsOutOfBounds(begin: Int, end: Int, dataSize: Int)
        /// The entry's bytes overlap those of another tensor.
        case overlaps(otherKey: String)
        /// Bytes no tensor claims lie before this entry (the format requires tightly packed data).
        case unclaimedBytes(begin: Int, end: Int)
        /// Bytes no tensor claims lie after the last tensor (a file with extra data appended, or a header
        /// describing less than the file holds).
        case trailingBytes(count: Int)
        /// A BOOL tensor holds a byte other than 0 or 1.
        case invalidBool(byte: UInt8)
        /// A tensor to write is undefined (a placeholder from a failed operation).
        case undefinedTensor
        /// The key `__metadata__` is reserved for the metadata map.
        case reservedKey
        /// libtorch could not create or read the tensor.
        case tensor(message: String)
        /// Writing the file failed.
        case writeFailed(reason: String)
    }

    /// The file (or the in-memory source's name).
    public var file: String
    /// The tensor's key when the problem concerns one tensor.
    public var key: String?
    /// What is wrong.
    public var problem: Problem

    /// An error about `file` (and `key`, when given).
    public init(file: String, key: String? = nil, _ problem: Problem) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    /// "FILE: tensor 'KEY': WHAT".
    public var description: String {
        let subject = key.map { "\(file): tensor '\($0)'" } ?? file
        return "\(subject): \(explanation)"
    }

    private var explanation: String {
        switch problem {
        case .unreadable(let reason):
            "cannot read: \(reason)"
        case .missingHeaderLength(let size):
            "not a safetensors file: \(size) bytes is too short for the 8-byte header length"
        case .headerTooLarge(let declared):
            "not a safetensors file: header length \(declared) exceeds the 100000000-byte limit"
        case .headerBeyondFile(let declared, let available):
            "truncated or not a safetensors file: header length \(declared) exceeds the \(available) bytes after "
                + "the length field"
        case .invalidHeader(let detail):
            "invalid header: \(detail)"
        case .invalidEntry(let detail):
            "invalid entry: \(detail)"
        case .unknownDType(let dtype):
            "unknown dtype \"\(dtype)\""
        case .unsupportedDType(let dtype):
            "dtype \(dtype) is not supported (supported: F64, F32, F16, I64, I32, I16, I8, U8, BOOL)"
        case .byteCountMismatch(let shape, let dtype, let expected, let actual):
            "shape \(shape) of \(dtype) needs \(expected) bytes, but data_offsets span \(actual)"
        case .offsetsOutOfBounds(let begin, let end, let dataSize):
            "data_offsets [\(begin), \(end)] lie outside the \(dataSize)-byte data section (truncated file?)"
        case .overlaps(let otherKey):
            "bytes overlap those of tensor '\(otherKey)'"
        case .unclaimedBytes(let begin, let end):
            "bytes [\(begin), \(end)) before this tensor belong to no tensor"
        case .trailingBytes(let count):
            "\(count) bytes after the last tensor belong to no tensor"
        case .invalidBool(let byte):
            "BOOL data holds byte \(byte); only 0 and 1 are valid"
        case .undefinedTensor:
            "tensor is undefined"
        case .reservedKey:
            "the key __metadata__ is reserved for the metadata map"
        case .tensor(let message):
            message
        case .writeFailed(let reason):
            "cannot write: \(reason)"
        }
    }
}
