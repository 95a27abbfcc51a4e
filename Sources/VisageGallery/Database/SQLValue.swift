import Foundation

/// A value bound to a statement or read from a row, in the types both gallery databases share: 64-bit integers
/// (booleans as 0 and 1), doubles, text and bytes.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// What a statement argument can be.
protocol SQLArgument {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLArgument { var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLArgument { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Bool: SQLArgument { var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Double: SQLArgument { var sqlValue: SQLValue { .real(self) } }
extension String: SQLArgument { var sqlValue: SQLValue { .text(self) } }
extension Data: SQLArgument { var sqlValue: SQLValue { .blob(self) } }
extension Optional: SQLArgument where Wrapped: SQLArgument {
    var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}

/// What a column can be read as.
protocol SQLColumn {
    init(sqlValue: SQLValue) throws
}

extension Int64: SQLColumn {
    init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value: self = Int64(value)
        default: throw SQLValueError(expected: "an integer", got: sqlValue)
        }
    }
}

extension Int: SQLColumn {
    init(sqlValue: SQLValue) throws { self = Int(try Int64(sqlValue: sqlValue)) }
}

extension Bool: SQLColumn {
    init(sqlValue: SQLValue) throws { self = try Int64(sqlValue: sqlValue) != 0 }
}

extension Double: SQLColumn {
    init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw SQLValueError(expected: "a number", got: sqlValue)
        }
    }
}

extension String: SQLColumn {
    init(sqlValue: SQLValue) throws {
        guard case .text(let value) = sqlValue else { throw SQLValueError(expected: "text", got: sqlValue) }
        self = value
    }
}

extension Data: SQLColumn {
    init(sqlValue: SQLValue) throws {
        guard case .blob(let value) = sqlValue else { throw SQLValueError(expected: "bytes", got: sqlValue) }
        self = value
    }
}

extension Optional: SQLColumn where Wrapped: SQLColumn {
    init(sqlValue: SQLValue) throws {
        self = sqlValue == .null ? nil : try Wrapped(sqlValue: sqlValue)
    }
}

/// A column holding a value of another type than the gallery's schema gives it.
struct SQLValueError: Error, CustomStringConvertible {
    var expected: String
    var got: SQLValue
    var description: String { "the gallery database holds \(got) where \(expected) was expected" }
}

/// One row of a query's result, its columns found by name (case-insensitively: PostgreSQL folds unquoted names
/// to lower case).
struct SQLRow: Sendable {
    let columns: [String: Int]
    let values: [SQLValue]

    /// The column `name` as `T`.
    /// - Throws: ``GalleryError`` when there is no such column or it holds another type.
    subscript<T: SQLColumn>(_ name: String) -> T {
        get throws {
            guard let index = columns[name.lowercased()] else {
                throw GalleryError("the gallery query has no column \(name) (columns: \(columns.keys.sorted()))")
            }
            do { return try T(sqlValue: values[index]) } catch {
                throw GalleryError("column \(name): \(error)")
            }
        }
    }

    /// The first column as `T`.
    func first<T: SQLColumn>() throws -> T { try T(sqlValue: values.first ?? .null) }

    /// The index of each column name, lower-cased.
    static func columnIndex(_ names: [String]) -> [String: Int] {
        Dictionary(names.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }
}
