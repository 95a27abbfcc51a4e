import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a run folder (`flock` on its `.lock` file) for as long as a process writes the run, so two
/// processes never train into one folder.
///
/// The lock is re-entrant within a process — a recipe that takes it and the ``Trainer`` it then runs share it —
/// and is released when the last holder goes away or the process dies (the kernel drops `flock` locks then, so
/// a killed run leaves no stale lock).
public final class RunFolderLock {
    /// The locked folder.
    public let folder: URL
    private let entry: Entry

    /// Takes the lock on `folder`, creating the folder if needed.
    /// - Throws: ``TrainingError/runFolderBusy(directory:)`` when another process holds it; ``DataFileError`` when
    ///   the lock file cannot be created.
    public init(_ folder: URL) throws {
        let path = folder.standardizedFileURL.path
        self.folder = folder
        entry = try Self.registry.acquire(path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let lockPath = path + "/.lock"
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw DataFileError(file: lockPath, message: "cannot create the run folder's lock: \(String(cString: strerror(errno)))")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw TrainingError.runFolderBusy(directory: path)
            }
            return descriptor
        }
    }

    deinit { Self.registry.release(entry) }

    /// One process-wide lock on one folder, counted by its holders.
    private final class Entry {
        let path: String
        let descriptor: Int32
        var holders = 1
        init(path: String, descriptor: Int32) {
            self.path = path
            self.descriptor = descriptor
        }
    }

    /// The folders this process holds, shared by every thread.
    private final class Registry: @unchecked Sendable {
        private var entries: [String: Entry] = [:]
        private let lock = NSLock()

        func acquire(_ path: String, open: () throws -> Int32) throws -> Entry {
            try lock.withLock {
                if let entry = entries[path] {
                    entry.holders += 1
                    return entry
                }
                let entry = Entry(path: path, descriptor: try open())
                entries[path] = entry
                return entry
            }
        }

        func release(_ entry: Entry) {
            lock.withLock {
                entry.holders -= 1
                if entry.holders == 0 {
                    entries[entry.path] = nil
                    close(entry.descriptor)
                }
            }
        }
    }

    private static let registry = Registry()
}
