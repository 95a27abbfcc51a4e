import Foundation

/// The SQL connection a gallery transaction runs its statements on. Statements use `?` placeholders and the SQL
/// both SQLite and PostgreSQL accept.
protocol GalleryConnection {
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int
    /// Runs a query and returns its rows.
    func fetch(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow]
    /// Runs an `INSERT` into a table with an `id` key and returns the new row's id.
    func insert(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int64
}

extension GalleryConnection {
    @discardableResult
    func execute(_ sql: String, _ arguments: any SQLArgument...) throws -> Int { try execute(sql, arguments) }

    func fetch(_ sql: String, _ arguments: any SQLArgument...) throws -> [SQLRow] { try fetch(sql, arguments) }

    /// The first column of the first row, nil when there is no row (or it holds NULL).
    func fetchOne<T: SQLColumn>(_ sql: String, _ arguments: any SQLArgument...) throws -> T? {
        guard let row = try fetch(sql, arguments).first else { return nil }
        return try Optional<T>(sqlValue: row.values.first ?? .null)
    }
}

/// Where a gallery's tables live and how its transactions run: an SQLite file (GRDB) or a PostgreSQL schema
/// (postgres-nio). Both give the store the same guarantees: each `write` is one transaction that commits whole
/// or not at all, writers (threads or processes) take turns, and a `read` sees one consistent snapshot.
protocol GalleryDatabase: Sendable {
    /// Runs `body` in one write transaction, writers one at a time: all of it is committed or none.
    func write<T>(_ body: (any GalleryConnection) throws -> T) throws -> T
    /// Runs `body` in a read transaction over one snapshot.
    func read<T>(_ body: (any GalleryConnection) throws -> T) throws -> T
    /// Whether the database holds no table yet (a new SQLite file, a new or empty schema).
    func isEmpty() throws -> Bool
    /// Brings the schema up to date (``GallerySchema``), refusing a gallery with migrations this build does not know.
    func migrate() throws
}
