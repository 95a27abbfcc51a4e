import Foundation

/// Reads the rows of a 2-D `.npy` file a chunk at a time, so that feature files larger than memory can be
/// streamed (gallery migration). Accepts what ``NPYFile/readMatrix(contentsOf:)`` accepts.
public final class NPYRowReader {
    /// The file being read.
    public let url: URL
    /// Number of rows N.
    public let rows: Int
    /// Number of columns D.
    public let columns: Int
    /// Rows read so far.
    public private(set) var rowsRead = 0

    private let handle: FileHandle
    private let itemSize: Int

    /// Opens `url` and reads its header.
    /// - Throws: ``DataFileError`` when the file cannot be opened, its header is not that of a 2-D float array,
    ///   or it is shorter than its shape says.
    public init(contentsOf url: URL) throws {
        self.url = url
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw DataFileError(url, "cannot read the file: \(error.localizedDescription)")
        }
        do {
            let fileSize = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            let start = [UInt8](try handle.read(upToCount: 12) ?? Data())
            var headerEnd = start.count
            if start.count >= 10 {
                headerEnd = start[6] == 1 ? 10 + (Int(start[8]) | Int(start[9]) << 8)
                    : 12 + (0..<min(4, start.count - 8)).reduce(0) { $0 | Int(start[8 + $1]) << (8 * $1) }
            }
            try handle.seek(toOffset: 0)
            let prefix = [UInt8](try handle.read(upToCount: min(max(headerEnd, 0), Int(fileSize))) ?? Data())
            let header = try NPYFile.parseHeader(prefix, source: url)
            guard Int(fileSize) - header.dataStart >= header.byteCount else {
                throw DataFileError(url, "not a usable .npy array: shape (\(header.rows), \(header.columns)) needs "
                    + "\(header.byteCount) data bytes but the file has \(Int(fileSize) - header.dataStart): "
                    + "it is truncated")
            }
            try handle.seek(toOffset: UInt64(header.dataStart))
            rows = header.rows
            columns = header.columns
            itemSize = header.itemSize
        } catch let error as DataFileError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw DataFileError(url, "cannot read the file: \(error.localizedDescription)")
        }
    }

    deinit { try? handle.close() }

    /// The next `maxRows` rows (fewer at the end), or nil when every row has been read.
    public func next(maxRows: Int) throws -> FeatureMatrix? {
        precondition(maxRows > 0, "NPYRowReader.next: maxRows must be positive")
        let count = min(maxRows, rows - rowsRead)
        guard count > 0 else { return nil }
        let byteCount = count * columns * itemSize
        let data: Data
        do {
            data = try handle.read(upToCount: byteCount) ?? Data()
        } catch {
            throw DataFileError(url, "cannot read rows \(rowsRead)..<\(rowsRead + count): \(error.localizedDescription)")
        }
        guard data.count == byteCount else {
            throw DataFileError(url, "the file ended inside row \(rowsRead + data.count / (columns * itemSize)) "
                + "of \(rows); it changed while being read")
        }
        let values = data.withUnsafeBytes {
            NPYFile.decodeValues($0, from: 0, count: count * columns, itemSize: itemSize)
        }
        rowsRead += count
        return try FeatureMatrix(rows: count, columns: columns, values: values)
    }
}
