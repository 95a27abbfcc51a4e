import Foundation
import Torch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with a size cap, and atomic image writes.
package enum FileBytes {
    /// The contents of the file at `path`; throws when it cannot be read or holds more than `limit` bytes.
    package static func contents(ofFile path: String, limit: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImageError(file: path, reason: "cannot open: \(errnoDescription())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ImageError(file: path, reason: "cannot stat: \(errnoDescription())")
        }
        let isRegular = status.st_mode & S_IFMT == S_IFREG
        if status.st_mode & S_IFMT == S_IFDIR { throw ImageError(file: path, reason: "is a directory") }
        if isRegular, Int(status.st_size) > limit { throw tooLarge(path, limit: limit) }
        // One byte more than the size, so that a single further read confirms the end of the file.
        var buffer = [UInt8](repeating: 0, count: isRegular ? Int(status.st_size) + 1 : 1 << 16)
        var count = 0
        while true {
            if count == buffer.count {
                guard count <= limit else { throw tooLarge(path, limit: limit) }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit + 1 - count)))
            }
            let result = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base + count, raw.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw ImageError(file: path, reason: "cannot read: \(errnoDescription())")
            }
            if result == 0 { break }
            count += result
        }
        guard count <= limit else { throw tooLarge(path, limit: limit) }
        buffer.removeLast(buffer.count - count)
        return buffer
    }

    /// Writes `bytes` to `path` so that readers see either the old file or the whole new one, never a part
    /// (``AtomicFile``, without `fsync`: image sets are written by the thousand).
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(to: URL(fileURLWithPath: path), durable: false) { writer in
                try writer.write(Data(bytes))
            }
        } catch let error as FileError {
            throw ImageError(file: path, reason: "cannot \(error.operation): \(error.reason)")
        }
    }

    private static func tooLarge(_ path: String, limit: Int) -> ImageError {
        ImageError(file: path, reason: "file is larger than \(limit >> 20) MiB")
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
