import Foundation

/// Where a gallery is: an SQLite file, or a schema in a PostgreSQL database given as
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=MODE]` (the schema defaults to `public`,
/// the TLS mode to `prefer` as libpq's does; the password may come from `PGPASSWORD` instead). In PostgreSQL one schema holds one gallery, with the same tables as the
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
        public var tls: TLSMode = .prefer

        /// The address without its password.
        public var description: String {
            let options = [schema == "public" ? nil : "schema=\(schema)", tls == .prefer ? nil : "sslmode=\(tls.rawValue)"]
                .compactMap { $0 }
            return "postgres://\(user)@\(host):\(port)/\(database)" + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
        }
    }

    /// Whether the connection to PostgreSQL is encrypted, named as libpq's `sslmode` values.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, else plain; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked (it protects against eavesdropping, not against a
        /// server that impersonates another).
        case require
        /// TLS with the certificate checked against the system's trusted roots and the host name.
        case verifyFull = "verify-full"
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
        var schema = "public", tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("schema", let value?):
                schema = value
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else {
                    throw GalleryError("\(shown): sslmode '\(value)' is not one of "
                        + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                tls = mode
            default:
                throw GalleryError("\(shown): unknown option '\(item.name)' (the options are schema=NAME and sslmode=MODE)")
            }
        }
        guard schema.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw GalleryError("\(shown): the schema '\(schema)' must be letters, digits and _ (not starting with a digit)")
        }
        let password = components.password?.removingPercentEncoding
            ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        self = .postgres(PostgresAddress(
            host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user, password: password,
            database: database.removingPercentEncoding ?? database, schema: schema, tls: tls))
    }

    /// The file's path or the URL without its password, for messages.
    public var description: String {
        switch self {
        case .sqlite(let url): url.path
        case .postgres(let address): address.description
        }
    }
}
