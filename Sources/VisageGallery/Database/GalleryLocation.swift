import Foundation

/// Where a gallery is: an SQLite file, or a schema in a PostgreSQL database given as
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]` (the schema defaults to `public`; the password
/// may come from `PGPASSWORD` instead). In PostgreSQL one schema holds one gallery, with the same tables as the
/// SQLite file, its engine and settings in its own `setting` table: several galleries share a database as several
/// schemas.
public enum GalleryLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(URL)
    case postgres(PostgresAddress)

    /// A PostgreSQL gallery's address.
    public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String
        public var schema: String

        /// The address without its password.
        public var description: String {
            "postgres://\(user)@\(host):\(port)/\(database)\(schema == "public" ? "" : "?schema=\(schema)")"
        }
    }

    /// A file path, or a `postgres://` / `postgresql://` URL.
    /// - Throws: ``GalleryError`` for a PostgreSQL URL that lacks a user or database, or names a schema that is not
    ///   a plain identifier.
    public init(_ text: String) throws {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            self = .sqlite(URL(fileURLWithPath: text))
            return
        }
        let shown = text.replacingOccurrences(of: #"(://[^:@/]*):[^@/]*@"#, with: "$1:***@", options: .regularExpression)
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw GalleryError("\(shown) is not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw GalleryError("\(shown) names no user (postgres://USER@HOST:PORT/DATABASE)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw GalleryError("\(shown) names no database (postgres://USER@HOST:PORT/DATABASE)")
        }
        var schema = "public"
        for item in components.queryItems ?? [] {
            guard item.name == "schema", let value = item.value else {
                throw GalleryError("\(shown): unknown option '\(item.name)' (the only one is ?schema=NAME)")
            }
            schema = value
        }
        guard schema.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw GalleryError("\(shown): the schema '\(schema)' must be letters, digits and _ (not starting with a digit)")
        }
        let password = components.password?.removingPercentEncoding
            ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        self = .postgres(PostgresAddress(
            host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user, password: password,
            database: database.removingPercentEncoding ?? database, schema: schema))
    }

    /// The file's path or the URL without its password, for messages.
    public var description: String {
        switch self {
        case .sqlite(let url): url.path
        case .postgres(let address): address.description
        }
    }
}
