/// A checkpoint that cannot be written or read back, naming the file and the problem.
public struct CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The checkpoint file or folder.
    public var path: String
    /// What is wrong.
    public var message: String

    /// An error about `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// "checkpoint PATH: MESSAGE".
    public var description: String { "checkpoint \(path): \(message)" }
}
