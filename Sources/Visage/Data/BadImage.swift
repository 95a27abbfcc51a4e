/// An image file that was skipped, and why.
public struct BadImage: Sendable, Equatable, CustomStringConvertible {
    /// The file's path.
    public var path: String
    /// What is wrong with it.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
