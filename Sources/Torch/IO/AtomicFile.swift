import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that readers see either the previous file or the complete new one, never a partial write.
///
/// The content goes to a temporary file in the destination's folder (so the final rename stays on one file
/// system), is flushed to disk with `fsync`, and is then renamed over the destination. If the process dies
/// midway, only a hidden temporary file (`.NAME.tmp-…`) is left behind; the destination is untouched.
public enum AtomicFile {
    /// Sequential writer handed to the body of ``AtomicFile/write(to:_:)``.
    public struct Writer: ~Copyable {
        fileprivate let descriptor: Int32
        fileprivate let path: String
        /// Bytes written so far.
        public private(set) var byteCount = 0

        fileprivate init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        /// Appends `bytes` to the file.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
            guard var address = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = Foundation.write(descriptor, address, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: path, operation: "write to", reason: String(cString: strerror(errno)))
                }
                remaining -= written
                address += written
                byteCount += written
            }
        }

        /// Appends the bytes of `data` to the file.
        public mutating func write(_ data: Data) throws(FileError) {
            let result: Result<Void, FileError> = data.withUnsafeBytes { bytes in
                Result { () throws(FileError) in try self.write(bytes) }
            }
            try result.get()
        }
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { writer in try writer.write(data) }
    }

    /// Creates the file at `url` from what `body` writes, atomically: the destination is replaced only after
    /// `body` returns and the content is on disk. If `body` throws, the destination is left as it was and the
    /// error is rethrown.
    ///
    /// `durable` false skips the two `fsync` calls (about 6 ms a file here): readers still never see a partial
    /// file, but after a power loss the new file may be empty or missing. For bulk writes of many small files
    /// (image sets) whose whole set is itself committed by one rename.
    public static func write(to url: URL, durable: Bool = true, _ body: (inout Writer) throws -> Void) throws {
        let destination = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw FileError(path: destination, operation: "create a temporary file to write",
                            reason: String(cString: strerror(errno)))
        }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporary) }
        }
        var writer = Writer(descriptor: descriptor, path: destination)
        try body(&writer)
        guard !durable || fsync(descriptor) == 0 else {
            throw FileError(path: destination, operation: "flush", reason: String(cString: strerror(errno)))
        }
        closed = true
        guard close(descriptor) == 0 else {
            throw FileError(path: destination, operation: "close", reason: String(cString: strerror(errno)))
        }
        try commit(temporary: temporary, to: url, durable: durable)
        renamed = true
    }

    /// Puts the finished, closed file `temporary` (in `url`'s folder) in place of `url` with rename(2), which
    /// replaces an existing file (or a link at `url`) in one step, then makes the rename durable. For writers that
    /// stream into their own temporary file and cannot use ``write(to:_:)``.
    public static func commit(temporary: String, to url: URL, durable: Bool = true) throws {
        let folder = url.deletingLastPathComponent().path
        guard rename(temporary, url.path) == 0 else {
            throw FileError(path: url.path, operation: "replace", reason: String(cString: strerror(errno)))
        }
        guard durable else { return }
        // File systems that cannot sync folders are not an error.
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}
