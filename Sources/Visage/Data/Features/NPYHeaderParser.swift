/// A value in an `.npy` header, which is a Python dictionary literal.
enum NPYHeaderValue: Equatable {
    case string(String)
    case bool(Bool)
    case tuple([Int])
}

/// Parses the Python dictionary literal of an `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (13233, 128), }`: string keys, values that are strings,
/// `True`/`False` or tuples of integers (Python 2's `128L` included).
struct NPYHeaderParser {
    struct Failure: Error {
        let reason: String
    }

    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parseDictionary() throws -> [String: NPYHeaderValue] {
        try expect("{")
        var result: [String: NPYHeaderValue] = [:]
        while true {
            skipSpaces()
            if peek() == "}" {
                position += 1
                return result
            }
            let key = try parseString()
            try expect(":")
            result[key] = try parseValue()
            skipSpaces()
            if peek() == "," {
                position += 1
            } else {
                try expect("}")
                return result
            }
        }
    }

    private mutating func parseValue() throws -> NPYHeaderValue {
        skipSpaces()
        switch peek() {
        case "'", "\"":
            return .string(try parseString())
        case "(":
            position += 1
            var items: [Int] = []
            while true {
                skipSpaces()
                if peek() == ")" {
                    position += 1
                    return .tuple(items)
                }
                items.append(try parseInteger())
                skipSpaces()
                if peek() == "," {
                    position += 1
                } else {
                    try expect(")")
                    return .tuple(items)
                }
            }
        default:
            if consume("True") { return .bool(true) }
            if consume("False") { return .bool(false) }
            throw Failure(reason: "unexpected value at character \(position)")
        }
    }

    private mutating func parseString() throws -> String {
        skipSpaces()
        guard let quote = peek(), quote == "'" || quote == "\"" else {
            throw Failure(reason: "expected a quoted string at character \(position)")
        }
        position += 1
        var value = ""
        while let character = peek(), character != quote {
            value.append(character)
            position += 1
        }
        guard peek() == quote else { throw Failure(reason: "a string is not closed") }
        position += 1
        return value
    }

    private mutating func parseInteger() throws -> Int {
        var digits = ""
        while let character = peek(), character.isASCII, character.isNumber {
            digits.append(character)
            position += 1
        }
        if peek() == "L" { position += 1 }
        guard let value = Int(digits), value >= 0 else {
            throw Failure(reason: "expected a non-negative integer at character \(position)")
        }
        return value
    }

    private mutating func expect(_ character: Character) throws {
        skipSpaces()
        guard peek() == character else { throw Failure(reason: "expected '\(character)' at character \(position)") }
        position += 1
    }

    private mutating func consume(_ word: String) -> Bool {
        let end = position + word.count
        guard end <= characters.count, String(characters[position..<end]) == word else { return false }
        position = end
        return true
    }

    private func peek() -> Character? {
        position < characters.count ? characters[position] : nil
    }

    private mutating func skipSpaces() {
        while let character = peek(), character.isWhitespace { position += 1 }
    }
}
