/// A file-system operation that failed, naming the path and the system's reason.
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// The file or folder involved.
    public var path: String
    /// What was being done, e.g. "create a temporary file for".
    public var operation: String
    /// The system's explanation (`strerror`), e.g. "No such file or directory".
    public var reason: String

    /// An error for `operation` on `path`.
    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// "cannot OPERATION PATH: REASON".
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
