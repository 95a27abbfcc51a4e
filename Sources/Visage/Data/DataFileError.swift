import Foundation

/// A problem in a data file (image list, landmarks CSV, pair or people list, feature array), naming the file and,
/// where it applies, the 1-based line.
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Path of the file at fault.
    public var file: String
    /// 1-based line number, or nil when the problem concerns the file as a whole.
    public var line: Int?
    /// What is wrong, in words.
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public init(_ url: URL, line: Int? = nil, _ message: String) {
        self.init(file: url.path, line: line, message: message)
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

extension DataFileError {
    /// The bytes of the file at `url`; a failure names the file with the system's reason in words (not
    /// Foundation's error dump).
    public static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw DataFileError(url, "cannot be read: \(error.localizedDescription)")
        }
    }
}
