import Foundation

extension URL {
    /// This file URL's path relative to the folder `root`, or nil when it is not inside `root`.
    func pathInside(_ root: URL) -> String? {
        let base = root.standardizedFileURL.path
        let path = standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// A path written in a data file: absolute as is, relative against `folder`.
    static func resolving(_ path: String, against folder: URL) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
        return url.standardizedFileURL
    }
}
