import Foundation
import Torch

/// Writes a 2-D float32 `.npy` file a chunk of rows at a time, its row count declared up front.
///
/// Rows go to a temporary file beside the destination, which replaces the destination only when
/// ``finish()`` finds every declared row written; an abandoned writer leaves the destination untouched.
public final class NPYRowWriter {
    /// The destination.
    public let url: URL
    /// Rows the file will hold.
    public let rows: Int
    /// Columns of every row.
    public let columns: Int
    /// Rows written so far.
    public private(set) var rowsWritten = 0

    private let temporaryURL: URL
    private let handle: FileHandle
    private var finished = false

    /// Starts a `rows`×`columns` file at `url`.
    public init(url: URL, rows: Int, columns: Int) throws {
        guard rows >= 0, columns > 0 else {
            throw DataError.invalidArgument("cannot write a \(rows)×\(columns) .npy array to \(url.path)")
        }
        self.url = url
        self.rows = rows
        self.columns = columns
        temporaryURL = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil) else {
            throw DataFileError(url, "cannot create a file in \(url.deletingLastPathComponent().path)")
        }
        do {
            handle = try FileHandle(forWritingTo: temporaryURL)
            try handle.write(contentsOf: NPYFile.encodeHeader(rows: rows, columns: columns))
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw DataFileError(url, "cannot write the file: \(error.localizedDescription)")
        }
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporaryURL)
        }
    }

    /// Appends the rows of `chunk`.
    /// - Throws: when its width is not `columns`, it would exceed `rows`, or writing fails.
    public func append(_ chunk: FeatureMatrix) throws {
        guard chunk.columns == columns else {
            throw DataError.invalidArgument("\(url.path): rows are \(columns) wide, got a chunk \(chunk.columns) wide")
        }
        guard rowsWritten + chunk.rows <= rows else {
            throw DataError.invalidArgument("\(url.path): \(rowsWritten + chunk.rows) rows exceed the declared \(rows)")
        }
        do {
            try handle.write(contentsOf: NPYFile.encodeValues(chunk.values))
        } catch {
            throw DataFileError(url, "cannot write the file: \(error.localizedDescription)")
        }
        rowsWritten += chunk.rows
    }

    /// Moves the complete file into place.
    /// - Throws: when fewer rows than declared were written, or the move fails.
    public func finish() throws {
        guard rowsWritten == rows else {
            throw DataError.invalidArgument("\(url.path): \(rowsWritten) of the declared \(rows) rows were written")
        }
        do {
            try handle.synchronize()
            try handle.close()
            // rename(2), not FileManager.replaceItemAt, which on Linux deletes the old file and then fails.
            try AtomicFile.commit(temporary: temporaryURL.path, to: url)
        } catch {
            throw DataFileError(url, "cannot move the finished file into place: \(error)")
        }
        finished = true
    }
}
