import Foundation
import PostgresNIO
import Synchronization

/// A gallery in a PostgreSQL schema through postgres-nio, so that several processes (service instances) on several
/// machines share it.
///
/// The store's callers are synchronous (the enroller between two batches of embeddings, the CLI commands, the
/// service's worker), so this bridges postgres-nio's future-based API by blocking: each statement's future is
/// waited for on the caller's thread, which is never one of the database's own event loop threads (a dedicated
/// one, ``eventLoops``), so the wait cannot stall the loop that completes it. A statement on loopback costs tens
/// of microseconds against the milliseconds a photo's embedding takes, and the store's API (and its SQLite
/// implementation) stay as they are.
///
/// Transactions give the SQLite file's guarantees: a write runs in one transaction that first takes a
/// transaction-scoped advisory lock for the gallery's schema, so writers, in any process, take turns as SQLite's
/// IMMEDIATE transactions do (each waiting up to ``lockTimeout``) and a check-then-insert (a duplicate photo, a new
/// person) cannot race; reads run in REPEATABLE READ snapshots and never wait for writers.
final class PostgresGalleryDatabase: GalleryDatabase {
    let address: GalleryLocation.PostgresAddress
    /// The connections' TLS setting, made once (a TLS context loads the trusted roots); its failure is each
    /// connection's.
    private let tls: Result<PostgresConnection.Configuration.TLS, any Error>
    private let idle = Mutex<[PostgresConnection]>([])
    private let opened = Atomic<Int>(0)
    private let logger: Logger = {
        var logger = Logger(label: "visage.gallery.postgres")
        logger.logLevel = .critical
        return logger
    }()

    /// The event loop every connection's I/O runs on; callers block on their futures from their own threads.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// How long a writer waits for another writer of the same gallery.
    static let lockTimeout = "60s"
    /// Connections kept open for the next transaction.
    static let maxIdle = 8

    init(address: GalleryLocation.PostgresAddress) {
        self.address = address
        tls = Result { try Self.tls(address.tls) }
    }

    deinit {
        for connection in idle.withLock({ $0 }) { Self.close(connection) }
    }

    // MARK: Connections

    private func connect() throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            let configuration = PostgresConnection.Configuration(
                host: address.host, port: address.port, username: address.user, password: address.password,
                database: address.database, tls: try tls.get())
            connection = try PostgresConnection.connect(
                on: Self.eventLoops.next(), configuration: configuration,
                id: opened.add(1, ordering: .relaxed).newValue, logger: logger).wait()
        } catch {
            throw GalleryError("\(address): cannot connect: \(Self.describe(error))")
        }
        do {
            try run(connection, "SET search_path TO \"\(address.schema)\"", [])
            try run(connection, "SET lock_timeout = '\(Self.lockTimeout)'", [])
        } catch {
            Self.close(connection)
            throw error
        }
        return connection
    }

    /// postgres-nio's TLS setting for `mode`: libpq's meaning of each `sslmode`.
    private static func tls(_ mode: GalleryLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if mode != .verifyFull { configuration.certificateVerification = .none }
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: configuration))
        case .require, .verifyFull: return .require(try NIOSSLContext(configuration: configuration))
        }
    }

    /// Closes `connection`, waiting until it is (postgres-nio requires a connection closed before it goes).
    private static func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        try? closing.wait()
    }

    /// Runs `body` on an idle connection (or a new one), keeping it for later unless it failed.
    @discardableResult
    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? connect()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            if connection.isClosed { Self.close(connection) } else { release(connection) }
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) {
        let kept = idle.withLock { idle in
            guard idle.count < Self.maxIdle, !connection.isClosed else { return false }
            idle.append(connection)
            return true
        }
        if !kept { Self.close(connection) }
    }

    /// Runs `body` between `begin` and COMMIT, rolling back when it throws.
    private func transaction<T>(_ begin: [String], _ body: (any GalleryConnection) throws -> T) throws -> T {
        try withConnection { connection in
            do {
                for statement in begin { try run(connection, statement, []) }
                let result = try body(Connection(database: self, connection: connection))
                try run(connection, "COMMIT", [])
                return result
            } catch {
                if !connection.isClosed { _ = try? run(connection, "ROLLBACK", []) }
                throw error
            }
        }
    }

    // MARK: GalleryDatabase

    func write<T>(_ body: (any GalleryConnection) throws -> T) throws -> T {
        try transaction([
            "BEGIN",
            // One writer per gallery at a time, whatever the process: the lock is the database's, keyed by schema.
            "SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext('\(address.schema)'))",
        ], body)
    }

    func read<T>(_ body: (any GalleryConnection) throws -> T) throws -> T {
        try transaction(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], body)
    }

    /// The first key of the gallery's advisory locks ("VISA"), so that they do not collide with other users'.
    static let lockClass = 0x5649_5341

    func isEmpty() throws -> Bool {
        try read { connection in
            try connection.fetchOne("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?",
                                    address.schema) == 0
        }
    }

    /// Whether the gallery's schema exists.
    func schemaExists() throws -> Bool {
        try read { connection in
            try connection.fetchOne("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?",
                                    address.schema) == 1
        }
    }

    /// Makes the gallery's schema if there is none.
    func createSchema() throws {
        try withConnection { try run($0, "CREATE SCHEMA IF NOT EXISTS \"\(address.schema)\"", []) }
    }

    /// Removes the gallery's schema and everything in it.
    func dropSchema() throws {
        try withConnection { try run($0, "DROP SCHEMA IF EXISTS \"\(address.schema)\" CASCADE", []) }
    }

    func migrate() throws {
        try write { connection in
            try connection.execute("CREATE TABLE IF NOT EXISTS \(GallerySchema.appliedTable) (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = try connection.fetch("SELECT identifier FROM \(GallerySchema.appliedTable)").map { row -> String in
                try row.first()
            }
            for migration in try GallerySchema.pending(applied: Set(applied), gallery: address.description) {
                // The extended protocol takes one statement at a time; the schema's SQL has no `;` inside a statement.
                for statement in migration.postgres.split(separator: ";")
                where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try connection.execute(String(statement))
                }
                try connection.execute("INSERT INTO \(GallerySchema.appliedTable) (identifier) VALUES (?)", migration.identifier)
            }
        }
    }

    // MARK: Statements

    /// Runs one statement and waits for its result.
    @discardableResult
    func run(_ connection: PostgresConnection, _ sql: String, _ arguments: [any SQLArgument]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw GalleryError("\(address): \(Self.describe(error)) (in: \(sql.split(separator: "\n").joined(separator: " ")))")
        }
    }

    /// `sql` with its `?` placeholders numbered `$1`, `$2`, … as PostgreSQL wants them (none inside quotes).
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = "", number = 0, quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The server's message and SQLSTATE for a PostgreSQL error, the error itself for others.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            return message + (info[.detail].map { " (\($0))" } ?? "") + (info[.sqlState].map { " [SQLSTATE \($0)]" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard let bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric: return .real(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Data(bytes.readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// One connection inside a transaction.
    struct Connection: GalleryConnection {
        let database: PostgresGalleryDatabase
        let connection: PostgresConnection

        func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
            try database.run(connection, sql, arguments).metadata.rows ?? 0
        }

        func fetch(_ sql: String, _ arguments: [any SQLArgument]) throws -> [SQLRow] {
            let rows = try database.run(connection, sql, arguments).rows
            guard let first = rows.first else { return [] }
            let columns = SQLRow.columnIndex(first.map(\.columnName))
            do {
                return try rows.map { row in SQLRow(columns: columns, values: try row.map(PostgresGalleryDatabase.value)) }
            } catch {
                throw GalleryError("\(database.address): a value of the query could not be read: \(error) (in: \(sql))")
            }
        }

        func insert(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int64 {
            guard let row = try fetch(sql + " RETURNING id", arguments).first else {
                throw GalleryError("\(database.address): an insert returned no id (in: \(sql))")
            }
            return try row.first()
        }
    }
}
