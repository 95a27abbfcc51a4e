import Foundation

/// A list of identities in LFW's people-file format.
///
/// Two layouts are read:
/// - `people.txt` (View 2): a first line with the number of folds, then per fold a line with its number of
///   people followed by that many `name imageCount` lines;
/// - `peopleDevTrain.txt` / `peopleDevTest.txt` (View 1): a first line `N`, then `N` lines `name imageCount`,
///   read as a single fold.
///
/// The layout is told by the second line: a lone number opens a fold, a name and count is a person.
public struct PeopleList: Sendable {
    /// One identity of the list.
    public struct Person: Sendable, Equatable {
        public var name: String
        /// How many images the identity has according to the list.
        public var imageCount: Int
        /// The 1-based line in the list file.
        public var line: Int
    }

    /// Where the list was read from.
    public let url: URL
    /// The people of each fold (a single fold for View 1 files).
    public let folds: [[Person]]

    /// Reads the list at `url`.
    /// - Throws: ``DataFileError`` naming the line of a malformed count or person line, a person listed twice,
    ///   and when the file has fewer or more lines than its counts announce.
    public init(contentsOf url: URL) throws {
        try self.init(lines: TextLines(contentsOf: url))
    }

    /// Parses `text` as the contents of a people file at `url`.
    public init(parsing text: String, url: URL) throws {
        try self.init(lines: TextLines(text: text, source: url))
    }

    private init(lines file: TextLines) throws {
        let rows = file.nonBlank
        guard let header = rows.first else { throw file.error(line: nil, "the file is empty") }
        func count(_ row: (number: Int, text: Substring), of what: String) throws -> Int {
            let fields = row.text.fields
            guard fields.count == 1, let value = Int(fields[0]), value >= 0 else {
                throw file.error(line: row.number, "expected the number of \(what), found '\(row.text)'")
            }
            return value
        }
        let first = try count(header, of: "folds or people")
        var position = rows.index(after: rows.startIndex)
        let isFolded = position < rows.endIndex && rows[position].text.fields.count == 1

        var seen: [String: Int] = [:]
        func people(_ amount: Int, fold: Int?) throws -> [Person] {
            var result: [Person] = []
            for _ in 0..<amount {
                guard position < rows.endIndex else {
                    let place = fold.map { "fold \($0 + 1) announces" } ?? "the header announces"
                    throw file.error(line: nil, "\(place) \(amount) people, but the file ends after \(result.count)")
                }
                let row = rows[position]
                let fields = row.text.fields
                guard fields.count == 2, let images = Int(fields[1]), images >= 0 else {
                    throw file.error(line: row.number, "expected 'name imageCount', found '\(row.text)'")
                }
                let name = String(fields[0])
                if let previous = seen[name] {
                    throw file.error(line: row.number, "\(name) is listed again (first on line \(previous))")
                }
                seen[name] = row.number
                result.append(Person(name: name, imageCount: images, line: row.number))
                position += 1
            }
            return result
        }

        var folds: [[Person]] = []
        if isFolded {
            for fold in 0..<first {
                guard position < rows.endIndex else {
                    throw file.error(line: nil, "the header announces \(first) folds, but the file ends after \(fold)")
                }
                let size = try count(rows[position], of: "people in fold \(fold + 1)")
                position += 1
                folds.append(try people(size, fold: fold))
            }
        } else {
            folds.append(try people(first, fold: nil))
        }
        if position < rows.endIndex {
            throw file.error(line: rows[position].number, "the counts announced above end before this line")
        }
        self.url = file.source
        self.folds = folds
    }

    /// Every person, fold by fold.
    public var people: [Person] { folds.flatMap { $0 } }

    /// Every person's name, fold by fold.
    public var names: [String] { people.map(\.name) }
}
