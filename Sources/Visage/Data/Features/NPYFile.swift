import Foundation

/// Reads and writes 2-D float arrays in NumPy's `.npy` format, the interchange format of feature files.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0, little-endian `<f4` (and `<f8`, converted to float32), C
/// order and a 2-D shape; anything else is rejected with a ``DataFileError`` naming the file and the header value.
/// Writing produces version 1.0, `<f4`, C order, with the header padded to a multiple of 64 bytes as NumPy does.
public enum NPYFile {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The N×D matrix stored in the `.npy` file at `url`.
    public static func readMatrix(contentsOf url: URL) throws -> FeatureMatrix {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataFileError(url, "cannot read the file: \(error.localizedDescription)")
        }
        return try decodeMatrix(data, source: url)
    }

    /// The N×D matrix in `data`, the bytes of an `.npy` file; `source` names it in errors.
    public static func decodeMatrix(_ data: Data, source: URL) throws -> FeatureMatrix {
        let bytes = [UInt8](data)
        let header = try parseHeader(bytes, source: source)
        let (rows, columns, itemSize, dataStart) = (header.rows, header.columns, header.itemSize, header.dataStart)
        let count = rows * columns
        guard bytes.count - dataStart >= header.byteCount else {
            throw DataFileError(source, "not a usable .npy array: shape (\(rows), \(columns)) needs "
                + "\(header.byteCount) data bytes but the file has \(bytes.count - dataStart): it is truncated")
        }
        let values = bytes.withUnsafeBytes { decodeValues($0, from: dataStart, count: count, itemSize: itemSize) }
        return try FeatureMatrix(rows: rows, columns: columns, values: values)
    }

    /// `count` little-endian floats of `itemSize` bytes (4 or 8) starting at byte `offset` of `raw`, as float32.
    static func decodeValues(_ raw: UnsafeRawBufferPointer, from offset: Int, count: Int, itemSize: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        if itemSize == 4 {
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(
                    fromByteOffset: offset + 4 * i, as: UInt32.self)))
            }
        } else {
            for i in 0..<count {
                values[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(
                    fromByteOffset: offset + 8 * i, as: UInt64.self))))
            }
        }
        return values
    }

    /// The layout of a 2-D `.npy` array read from the start of its file.
    struct Header {
        var rows: Int
        var columns: Int
        /// 4 for `<f4`, 8 for `<f8`.
        var itemSize: Int
        /// Offset of the first data byte.
        var dataStart: Int
        /// Bytes of data the shape needs.
        var byteCount: Int { rows * columns * itemSize }
    }

    /// The header of the `.npy` file starting with `bytes` (at least the whole header); `source` names it in
    /// errors.
    static func parseHeader(_ bytes: [UInt8], source: URL) throws -> Header {
        func fail(_ message: String) -> DataFileError { DataFileError(source, "not a usable .npy array: " + message) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("the file does not start with the NPY magic string")
        }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file ends inside the header length") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail("format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)")
        }
        guard bytes.count >= headerStart + headerLength else { throw fail("the file ends inside the header") }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Version 3 allows UTF-8 field names; 1 and 2 are Latin-1, of which the header's ASCII is a subset.
        guard let header = String(bytes: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("the header is not text")
        }
        let fields: [String: NPYHeaderValue]
        do {
            var parser = NPYHeaderParser(header)
            fields = try parser.parseDictionary()
        } catch {
            let reason = (error as? NPYHeaderParser.Failure)?.reason ?? "\(error)"
            throw fail("cannot parse the header \(header.trimmingCharacters(in: .whitespacesAndNewlines)): \(reason)")
        }
        guard case .string(let descr)? = fields["descr"] else { throw fail("the header has no 'descr' string") }
        guard case .bool(let fortranOrder)? = fields["fortran_order"] else {
            throw fail("the header has no 'fortran_order' flag")
        }
        guard case .tuple(let shape)? = fields["shape"] else { throw fail("the header has no 'shape' tuple") }
        let itemSize: Int
        switch descr {
        case "<f4": itemSize = 4
        case "<f8": itemSize = 8
        default: throw fail("dtype '\(descr)' is not supported; expected little-endian float32 '<f4' (or '<f8')")
        }
        guard !fortranOrder else { throw fail("Fortran-ordered arrays are not supported; save with C order") }
        guard shape.count == 2 else {
            throw fail("expected a 2-D N×D array, found shape (\(shape.map(String.init).joined(separator: ", ")))")
        }
        let (rows, columns) = (shape[0], shape[1])
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        let (_, overflow2) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow, !overflow2 else { throw fail("shape (\(rows), \(columns)) is too large") }
        return Header(rows: rows, columns: columns, itemSize: itemSize, dataStart: headerStart + headerLength)
    }

    /// The bytes of `matrix` as a version 1.0 `.npy` file of dtype `<f4`.
    public static func encode(_ matrix: FeatureMatrix) -> Data {
        var data = encodeHeader(rows: matrix.rows, columns: matrix.columns)
        data.append(encodeValues(matrix.values))
        return data
    }

    /// The magic string and version 1.0 header of a `rows`×`columns` `<f4` array, padded to 64 bytes.
    static func encodeHeader(rows: Int, columns: Int) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(magic + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }

    /// `values` as little-endian float32 bytes.
    static func encodeValues(_ values: [Float]) -> Data {
        var body = [UInt8](repeating: 0, count: values.count * 4)
        body.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        }
        return Data(body)
    }

    /// Writes `matrix` to `url` as a `.npy` file of dtype `<f4`, replacing any file there.
    public static func write(_ matrix: FeatureMatrix, to url: URL) throws {
        do {
            try encode(matrix).write(to: url, options: .atomic)
        } catch {
            throw DataFileError(url, "cannot write the file: \(error.localizedDescription)")
        }
    }
}
