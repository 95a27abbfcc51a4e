import Foundation

/// A weights file an engine needs, pinned by size and SHA-256, with where it comes from.
public struct EngineWeightsFile: Sendable, Equatable, Codable {
    /// The file's name inside the weights folder.
    public var fileName: String
    /// Its SHA-256, 64 lowercase hexadecimal digits.
    public var sha256: String
    /// Its size in bytes.
    public var byteCount: Int
    /// Where the file comes from and how to get it, for the message when it is missing.
    public var source: String

    public init(fileName: String, sha256: String, byteCount: Int, source: String) {
        self.fileName = fileName
        self.sha256 = sha256
        self.byteCount = byteCount
        self.source = source
    }
}
