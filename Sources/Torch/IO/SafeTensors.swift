import CTorch
import Foundation

/// The tensors and metadata of a safetensors file.
public struct SafeTensorsContents {
    /// The tensors by key.
    public var tensors: [String: Tensor]
    /// The `__metadata__` string map (empty when the file has none).
    public var metadata: [String: String]

    /// Contents with the given tensors and metadata.
    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// Reading and writing the safetensors format (https://github.com/huggingface/safetensors), the weights
/// format Visage uses and that Python's `safetensors` library and PyTorch checkpoints share.
///
/// Layout: an 8-byte little-endian header length `N`; `N` bytes of UTF-8 JSON mapping each tensor key to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data section), plus an optional
/// `"__metadata__"` string map; then the data section, row-major little-endian, tightly packed.
///
/// Reading validates everything and throws ``SafeTensorsError`` naming the file and key: header length against
/// the file size, JSON structure, dtype, shape against byte count, offsets in bounds, and that the tensors
/// tile the data section without overlaps, holes or trailing bytes (as the reference implementation
/// requires). Writing pads the header with spaces to a multiple of 8 bytes and orders tensors by decreasing
/// element size, then key, so every tensor is aligned; files are replaced atomically (see ``AtomicFile``).
public enum SafeTensors {
    /// The reference implementation's limit on the header length.
    static let maximumHeaderLength: UInt64 = 100_000_000

    /// Safetensors dtype names that have no Torch dtype here.
    static let unsupportedDTypeNames: Set<String> = [
        "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
    ]

    /// The safetensors name of `dtype` ("F32", "I64", "BOOL", …).
    public static func name(of dtype: DType) -> String {
        switch dtype {
        case .float64: "F64"
        case .float32: "F32"
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .int64: "I64"
        case .int32: "I32"
        case .int16: "I16"
        case .int8: "I8"
        case .uint8: "U8"
        case .bool: "BOOL"
        }
    }

    /// The dtype a safetensors dtype name stands for, or nil if it has none here.
    public static func dtype(named name: String) -> DType? {
        DType.allCases.first { self.name(of: $0) == name }
    }

    // MARK: Reading

    /// Reads and validates the safetensors file at `url`.
    public static func read(from url: URL) throws(SafeTensorsError) -> SafeTensorsContents {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError(file: url.path, .unreadable(reason: readFailureReason(url: url, error: error)))
        }
        return try decode(data, source: url.path)
    }

    /// Parses and validates safetensors bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "<memory>") throws(SafeTensorsError)
        -> SafeTensorsContents
    {
        let result: Result<SafeTensorsContents, SafeTensorsError> = data.withUnsafeBytes { bytes in
            Result { () throws(SafeTensorsError) in try decode(bytes: bytes, source: source) }
        }
        return try result.get()
    }

    /// One validated header entry.
    private struct Entry {
        var key: String
        var dtype: DType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    private static func decode(bytes: UnsafeRawBufferPointer, source: String) throws(SafeTensorsError)
        -> SafeTensorsContents
    {
        func failure(_ problem: SafeTensorsError.Problem, key: String? = nil) -> SafeTensorsError {
            SafeTensorsError(file: source, key: key, problem)
        }
        guard bytes.count >= 8 else { throw failure(.missingHeaderLength(fileSize: bytes.count)) }
        var declared: UInt64 = 0
        for index in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[index]) }
        guard declared <= maximumHeaderLength else { throw failure(.headerTooLarge(declared: declared)) }
        guard declared <= UInt64(bytes.count - 8) else {
            throw failure(.headerBeyondFile(declared: declared, available: bytes.count - 8))
        }
        let headerLength = Int(declared)
        let header = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)])
        let data = UnsafeRawBufferPointer(rebasing: bytes[(8 + headerLength)...])

        let (entries, metadata) = try parseHeader(header, dataSize: data.count, source: source)

        // The tensors must tile the data section: sorted by offset, each starts where the previous ended.
        var cursor = 0
        var cursorKey: String?
        for entry in entries.sorted(by: { ($0.begin, $0.end, $0.key) < ($1.begin, $1.end, $1.key) }) {
            if entry.begin < cursor, let cursorKey {
                throw failure(.overlaps(otherKey: cursorKey), key: entry.key)
            }
            if entry.begin > cursor {
                throw failure(.unclaimedBytes(begin: cursor, end: entry.begin), key: entry.key)
            }
            if entry.end > cursor || cursorKey == nil {
                cursor = entry.end
                cursorKey = entry.key
            }
        }
        if cursor != data.count { throw failure(.trailingBytes(count: data.count - cursor)) }

        var tensors: [String: Tensor] = [:]
        for entry in entries {
            let region = UnsafeRawBufferPointer(rebasing: data[entry.begin..<entry.end])
            if entry.dtype == .bool, let byte = region.first(where: { $0 > 1 }) {
                throw failure(.invalidBool(byte: byte), key: entry.key)
            }
            do {
                tensors[entry.key] = try Tensor(bytes: region, shape: entry.shape, dtype: entry.dtype)
            } catch {
                throw failure(.tensor(message: error.message), key: entry.key)
            }
        }
        return SafeTensorsContents(tensors: tensors, metadata: metadata)
    }

    /// Parses the JSON header and validates each entry on its own (sorted by key, so the first error reported
    /// does not depend on hashing).
    private static func parseHeader(_ header: UnsafeRawBufferPointer, dataSize: Int, source: String)
        throws(SafeTensorsError) -> ([Entry], [String: String])
    {
        func failure(_ problem: SafeTensorsError.Problem, key: String? = nil) -> SafeTensorsError {
            SafeTensorsError(file: source, key: key, problem)
        }
        guard header.first == UInt8(ascii: "{") else {
            throw failure(.invalidHeader(detail: "the JSON header must start with '{'"))
        }
        let json: [String: JSONValue]
        do {
            json = try JSONDecoder().decode([String: JSONValue].self, from: Data(header))
        } catch {
            throw failure(.invalidHeader(detail: jsonFailureDetail(error)))
        }

        var metadata: [String: String] = [:]
        if let value = json["__metadata__"] {
            guard case .object(let fields) = value else {
                throw failure(.invalidHeader(detail: "__metadata__ must be an object, found \(value.kindName)"))
            }
            for (name, field) in fields {
                guard case .string(let text) = field else {
                    throw failure(.invalidHeader(
                        detail: "__metadata__ must map strings to strings; \"\(name)\" holds \(field.kindName)"))
                }
                metadata[name] = text
            }
        }

        var entries: [Entry] = []
        for (key, value) in json.sorted(by: { $0.key < $1.key }) where key != "__metadata__" {
            entries.append(try parseEntry(key: key, value: value, dataSize: dataSize, source: source))
        }
        return (entries, metadata)
    }

    private static func parseEntry(key: String, value: JSONValue, dataSize: Int, source: String)
        throws(SafeTensorsError) -> Entry
    {
        func failure(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
            SafeTensorsError(file: source, key: key, problem)
        }
        func invalid(_ detail: String) -> SafeTensorsError { failure(.invalidEntry(detail: detail)) }

        guard case .object(let fields) = value else {
            throw invalid("expected an object with dtype, shape and data_offsets, found \(value.kindName)")
        }
        guard let dtypeValue = fields["dtype"] else { throw invalid("missing \"dtype\"") }
        guard case .string(let dtypeName) = dtypeValue else {
            throw invalid("\"dtype\" must be a string, found \(dtypeValue.kindName)")
        }
        guard let dtype = dtype(named: dtypeName) else {
            throw failure(unsupportedDTypeNames.contains(dtypeName)
                ? .unsupportedDType(dtypeName) : .unknownDType(dtypeName))
        }
        guard let shapeValue = fields["shape"] else { throw invalid("missing \"shape\"") }
        guard case .array(let dimensions) = shapeValue else {
            throw invalid("\"shape\" must be an array, found \(shapeValue.kindName)")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .integer(let size) = dimension, size >= 0 else {
                throw invalid("\"shape\" must hold non-negative integers, found \(dimension.kindName)")
            }
            shape.append(size)
        }
        guard let offsetsValue = fields["data_offsets"] else { throw invalid("missing \"data_offsets\"") }
        guard case .array(let offsets) = offsetsValue, offsets.count == 2,
            case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1], begin >= 0, end >= begin
        else {
            throw invalid("\"data_offsets\" must be [begin, end] with 0 ≤ begin ≤ end")
        }

        var byteCount = dtype.byteSize
        for size in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: size)
            guard !overflow else { throw invalid("shape \(shape) has too many elements") }
            byteCount = product
        }
        guard end <= dataSize else {
            throw failure(.offsetsOutOfBounds(begin: begin, end: end, dataSize: dataSize))
        }
        guard byteCount == end - begin else {
            throw failure(.byteCountMismatch(shape: shape, dtype: dtypeName, expected: byteCount, actual: end - begin))
        }
        return Entry(key: key, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    private static func jsonFailureDetail(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "the header is not a JSON object"
        case DecodingError.dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            return "not valid JSON (\(context.debugDescription)\(underlying))"
        default:
            return "not valid JSON (\(error))"
        }
    }

    private static func readFailureReason(url: URL, error: any Error) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) { return "no such file" }
        if isFolder.boolValue { return "it is a folder" }
        return (error as NSError).localizedDescription
    }

    // MARK: Writing

    /// Writes `tensors` (and `metadata`, if any) to `url` in the safetensors format, atomically.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL)
        throws(SafeTensorsError)
    {
        let layout = try plan(tensors, metadata: metadata, file: url.path)
        do {
            try AtomicFile.write(to: url) { writer in
                try writer.write(layout.prefix)
                for (key, tensor) in layout.tensors {
                    try withBytes(of: tensor, key: key, file: url.path) { bytes throws in try writer.write(bytes) }
                }
            }
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw SafeTensorsError(file: url.path, .writeFailed(reason: "\(error)"))
        }
    }

    /// The safetensors bytes of `tensors` and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:])
        throws(SafeTensorsError) -> Data
    {
        let layout = try plan(tensors, metadata: metadata, file: "<memory>")
        var data = layout.prefix
        for (key, tensor) in layout.tensors {
            do {
                try withBytes(of: tensor, key: key, file: "<memory>") { bytes in data.append(contentsOf: bytes) }
            } catch let error as SafeTensorsError {
                throw error
            } catch {
                throw SafeTensorsError(file: "<memory>", key: key, .tensor(message: "\(error)"))
            }
        }
        return data
    }

    /// The header length, padded header and the tensors in data order.
    private static func plan(_ tensors: [String: Tensor], metadata: [String: String], file: String)
        throws(SafeTensorsError) -> (prefix: Data, tensors: [(String, Tensor)])
    {
        if tensors["__metadata__"] != nil { throw SafeTensorsError(file: file, key: "__metadata__", .reservedKey) }
        for (key, tensor) in tensors where !tensor.isDefined {
            throw SafeTensorsError(file: file, key: key, .undefinedTensor)
        }
        let ordered = tensors.sorted { lhs, rhs in
            let (left, right) = (lhs.value.dtype.byteSize, rhs.value.dtype.byteSize)
            return left != right ? left > right : lhs.key < rhs.key
        }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (key, tensor) in ordered {
            let size = tensor.count * tensor.dtype.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(JSONText.quoted(key) + ":{\"dtype\":\"\(name(of: tensor.dtype))\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var prefix = Data(capacity: 8 + header.count)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { prefix.append(contentsOf: $0) }
        prefix.append(contentsOf: header)
        return (prefix, ordered)
    }

    /// Calls `body` with `tensor`'s elements in row-major order.
    private static func withBytes(
        of tensor: Tensor, key: String, file: String, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let size = tensor.count * tensor.dtype.byteSize
        var buffer = [UInt8](repeating: 0, count: size)
        var error: UnsafeMutablePointer<CChar>?
        let status = buffer.withUnsafeMutableBytes {
            ctorch_tensor_copy_to(tensor.handle.pointer, $0.baseAddress, Int64(size), &error)
        }
        guard status == 0 else {
            throw SafeTensorsError(file: file, key: key, .tensor(message: takeError(error).message))
        }
        try buffer.withUnsafeBytes(body)
    }
}
