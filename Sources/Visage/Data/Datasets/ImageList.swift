import Foundation

/// A list file of labelled images: one `path label` per line, the label a non-negative integer after the last
/// space or tab (so paths may contain spaces). Relative paths are relative to the list file's folder; blank lines
/// and lines starting with `#` are skipped.
public struct ImageList: Sendable {
    /// One line of the list.
    public struct Entry: Sendable, Equatable {
        /// The image file, resolved.
        public var url: URL
        /// The path as written.
        public var path: String
        public var label: Int
        /// The 1-based line in the list file.
        public var line: Int
    }

    /// Where the list was read from.
    public let url: URL
    /// The entries in file order.
    public let entries: [Entry]

    /// Reads the list at `url`.
    /// - Throws: ``DataFileError`` naming the line of an entry without a label or with a label that is not a
    ///   non-negative integer.
    public init(contentsOf url: URL) throws {
        try self.init(lines: TextLines(contentsOf: url))
    }

    /// Parses `text` as the contents of a list file at `url`.
    public init(parsing text: String, url: URL) throws {
        try self.init(lines: TextLines(text: text, source: url))
    }

    private init(lines file: TextLines) throws {
        let folder = file.source.deletingLastPathComponent()
        var entries: [Entry] = []
        for (number, text) in file.nonBlank {
            let line = text.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            guard let split = line.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw file.error(line: number, "expected 'path label', found '\(line)'")
            }
            let path = line[..<split].trimmingCharacters(in: .whitespaces)
            let labelText = line[line.index(after: split)...]
            guard let label = Int(labelText), label >= 0 else {
                throw file.error(line: number, "the label must be a non-negative integer, found '\(labelText)'")
            }
            entries.append(Entry(url: URL.resolving(path, against: folder), path: path, label: label, line: number))
        }
        self.url = file.source
        self.entries = entries
    }

    /// One more than the largest label (0 for an empty list).
    public var classCount: Int { (entries.map(\.label).max() ?? -1) + 1 }

    /// The entries whose image file does not exist.
    public func missingImages() -> [Entry] {
        entries.filter { !FileManager.default.fileExists(atPath: $0.url.path) }
    }

    /// Throws naming the first entry whose image does not exist, and how many others are missing.
    public func checkImagesExist() throws {
        let missing = missingImages()
        guard let first = missing.first else { return }
        throw DataFileError(url, line: first.line, "image \(first.url.path) does not exist"
            + (missing.count > 1 ? " (\(missing.count - 1) more images in this list are missing)" : ""))
    }
}
