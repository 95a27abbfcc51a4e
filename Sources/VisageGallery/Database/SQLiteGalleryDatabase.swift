import Foundation
import GRDB

/// A gallery in one SQLite file through GRDB, in WAL mode: readers never wait for a writer; every write is one
/// IMMEDIATE transaction, so a process killed mid-enroll leaves each photo either wholly stored or absent, and two
/// processes writing at once wait for each other (up to ``busyTimeout``) instead of failing.
final class SQLiteGalleryDatabase: GalleryDatabase {
    let url: URL
    let pool: DatabasePool

    /// How long a writer waits for another process's transaction before giving up.
    static let busyTimeout: TimeInterval = 60

    init(url: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        self.url = url
        do {
            pool = try DatabasePool(path: url.path, configuration: configuration)
        } catch {
            throw GalleryError("\(url.path): cannot be opened as a gallery: \(error)")
        }
    }

    func write<T>(_ body: (any GalleryConnection) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(Connection(db: db))
                return .commit
            }
            return result!
        }
    }

    func read<T>(_ body: (any GalleryConnection) throws -> T) throws -> T {
        try pool.read { try body(Connection(db: $0)) }
    }

    func isEmpty() throws -> Bool {
        try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") == 0 }
    }

    func migrate() throws {
        let migrator = GallerySchema.migrator
        try pool.read { db in
            if try migrator.hasBeenSuperseded(db) {
                throw GalleryError("\(url.path) was written by a newer Visage (its schema has migrations this one "
                    + "does not know); it is left as it is")
            }
        }
        try migrator.migrate(pool)
    }

    /// One GRDB connection inside a transaction.
    struct Connection: GalleryConnection {
        let db: Database

        func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
            try db.execute(sql: sql, arguments: Self.arguments(arguments))
            return db.changesCount
        }

        func fetch(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: Self.arguments(arguments))
            var rows: [SQLRow] = []
            var columns: [String: Int]?
            while let row = try cursor.next() {
                let names = columns ?? SQLRow.columnIndex(Array(row.columnNames))
                columns = names
                rows.append(SQLRow(columns: names, values: (0..<row.count).map { Self.value(row[$0] as DatabaseValue) }))
            }
            return rows
        }

        func insert(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int64 {
            try db.execute(sql: sql, arguments: Self.arguments(arguments))
            return db.lastInsertedRowID
        }

        static func arguments(_ values: [any SQLArgument]) -> StatementArguments {
            StatementArguments(values.map { value -> DatabaseValue in
                switch value.sqlValue {
                case .null: .null
                case .integer(let integer): integer.databaseValue
                case .real(let real): real.databaseValue
                case .text(let text): text.databaseValue
                case .blob(let data): data.databaseValue
                }
            })
        }

        static func value(_ value: DatabaseValue) -> SQLValue {
            switch value.storage {
            case .null: .null
            case .int64(let integer): .integer(integer)
            case .double(let real): .real(real)
            case .string(let text): .text(text)
            case .blob(let data): .blob(data)
            }
        }
    }
}
