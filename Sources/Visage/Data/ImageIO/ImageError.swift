/// A failure to read, decode, encode or write an image, naming the file (or `"<memory>"`) and the reason.
public struct ImageError: Error, CustomStringConvertible, Equatable {
    /// The path of the file, or the name given for bytes in memory.
    public var file: String
    /// What went wrong, in words.
    public var reason: String

    /// An error about `file` (a path, or a name such as `"<memory>"`).
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
