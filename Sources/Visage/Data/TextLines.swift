import Foundation

/// The lines of a small text data file with their 1-based numbers, for the parsers of list, pair and CSV files.
struct TextLines {
    /// The file the lines came from, for error messages.
    let source: URL
    /// Every line without its terminator (`\n` or `\r\n`); a final terminator does not add an empty line.
    let lines: [Substring]

    init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataFileError(url, "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(url, "the file is not UTF-8 text")
        }
        self.init(text: text, source: url)
    }

    init(text: String, source: URL) {
        self.source = source
        // "\r\n" is a single Character in Swift, so it is matched as a whole.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        self.lines = lines
    }

    /// The lines that are not blank, numbered from 1 as in the file.
    var nonBlank: [(number: Int, text: Substring)] {
        lines.enumerated().compactMap { index, line in
            line.allSatisfy(\.isWhitespace) ? nil : (index + 1, line)
        }
    }

    /// An error at `line` of this file.
    func error(line: Int?, _ message: String) -> DataFileError {
        DataFileError(source, line: line, message)
    }
}

extension Substring {
    /// The whitespace-separated fields of a line (spaces or tabs).
    var fields: [Substring] {
        split(whereSeparator: { $0 == " " || $0 == "\t" })
    }
}
