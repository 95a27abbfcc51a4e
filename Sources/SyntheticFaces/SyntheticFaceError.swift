import Foundation

/// A problem with what the caller asked the synthetic face generator for.
public enum SyntheticFaceError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// `name` was given `value`, which breaks `requirement`.
    case invalidArgument(name: String, value: String, requirement: String)
    /// Writing `path` failed.
    case writeFailed(path: String, reason: String)

    /// The message, naming the offending value or path.
    public var description: String {
        switch self {
        case let .invalidArgument(name, value, requirement):
            return "invalid \(name) \(value): \(requirement)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }

    /// The same message, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// Throws `invalidArgument` unless `condition` holds.
    package static func require(_ condition: Bool, _ name: String, _ value: Any, _ requirement: String) throws {
        if !condition {
            throw SyntheticFaceError.invalidArgument(name: name, value: "\(value)", requirement: requirement)
        }
    }
}
