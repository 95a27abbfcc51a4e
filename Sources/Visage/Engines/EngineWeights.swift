import Foundation

/// The folder that holds pretrained weights, and the check that a file in it is the pinned one.
///
/// `scripts/setup.sh` fills the folder; `VISAGE_WEIGHTS` names another. A file is used only when its size and
/// SHA-256 match its pin: a missing, truncated or altered file is refused with a message naming it and saying
/// how to get it. A verified file is remembered for the rest of the process (by path, size and modification
/// time), so a command that loads an engine several times hashes it once.
public enum EngineWeights {
    /// The weights folder: `VISAGE_WEIGHTS`, else `$XDG_CACHE_HOME/visage/weights`, else
    /// `~/.cache/visage/weights`.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["VISAGE_WEIGHTS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return cache.appendingPathComponent("visage/weights")
    }

    /// The location of `file` in `folder` after checking its size and digest.
    /// - Throws: ``EngineError/missingWeights(file:source:)`` or ``EngineError/alteredWeights(file:expected:found:source:)``.
    public static func verifiedURL(for file: EngineWeightsFile, in folder: URL = folder()) throws -> URL {
        let url = folder.appendingPathComponent(file.fileName)
        // A link (setup.sh links research weights it does not copy) is checked by the file it points to.
        let target = url.resolvingSymlinksInPath()
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
              let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw EngineError.missingWeights(file: url.path, source: file.source)
        }
        guard size == file.byteCount else {
            throw EngineError.alteredWeights(file: url.path, expected: "\(file.byteCount) bytes", found: "\(size) bytes",
                                             source: file.source)
        }
        let key = "\(target.path)|\(size)|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        if verified.contains(key) { return url }
        let digest = try SHA256.hex(ofFile: target)
        guard digest == file.sha256 else {
            throw EngineError.alteredWeights(file: url.path, expected: "sha256 \(file.sha256)", found: "sha256 \(digest)",
                                             source: file.source)
        }
        verified.insert(key)
        return url
    }

    private static let verified = VerifiedFiles()
}

/// Keys of files already hashed in this process, shared by every thread that loads an engine.
private final class VerifiedFiles: @unchecked Sendable {
    private var keys: Set<String> = []
    private let lock = NSLock()

    func contains(_ key: String) -> Bool { lock.withLock { keys.contains(key) } }
    func insert(_ key: String) { lock.withLock { _ = keys.insert(key) } }
}
