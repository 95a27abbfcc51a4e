import Foundation
import Testing
@testable import VisageGallery

/// `--gallery`: a file path or a PostgreSQL URL.
@Suite("Gallery location")
struct GalleryLocationTests {
    @Test("A path is an SQLite file; a postgres:// URL names user, host, port, database and schema")
    func parsed() throws {
        #expect(try GalleryLocation("g.sqlite") == .sqlite(URL(fileURLWithPath: "g.sqlite")))
        let location = try GalleryLocation("postgres://ann:s%40cret@db.local:6543/faces?schema=office")
        guard case .postgres(let address) = location else { Issue.record("not PostgreSQL: \(location)"); return }
        #expect(address == .init(host: "db.local", port: 6543, user: "ann", password: "s@cret", database: "faces",
                                 schema: "office"))
        // Messages never show the password.
        #expect("\(location)" == "postgres://ann@db.local:6543/faces?schema=office")
        guard case .postgres(let plain) = try GalleryLocation("postgresql://ann@localhost/faces") else {
            Issue.record("postgresql:// is not PostgreSQL")
            return
        }
        #expect(plain.port == 5432 && plain.schema == "public" && plain.tls == .prefer)
        for mode in GalleryLocation.TLSMode.allCases {
            let url = "postgres://ann@localhost/faces?sslmode=\(mode.rawValue)&schema=s"
            guard case .postgres(let address) = try GalleryLocation(url) else { Issue.record("not PostgreSQL: \(url)"); continue }
            #expect(address.tls == mode && address.schema == "s")
            #expect(address.description == "postgres://ann@localhost:5432/faces?schema=s"
                + (mode == .prefer ? "" : "&sslmode=\(mode.rawValue)"))
        }
    }

    @Test("A URL without user or database, with an unknown option or an odd schema is refused, its password hidden")
    func refused() {
        for (url, words) in [("postgres://localhost/faces", "names no user"),
                             ("postgres://ann:pw@localhost/", "names no database"),
                             ("postgres://ann:pw@localhost/faces?ssl=true", "unknown option 'ssl'"),
                             ("postgres://ann:pw@localhost/faces?sslmode=allow", "sslmode 'allow' is not one of disable, prefer, require, verify-full"),
                             ("postgres://ann@localhost/faces?schema=a-b", "letters, digits and _")] {
            let error = #expect(throws: GalleryError.self, "\(url)") { try GalleryLocation(url) }
            #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(":pw@") == false)
        }
    }

    @Test("sslmode: disable is plain, require is TLS, verify-full refuses a self-signed certificate (PostgreSQL only)",
          .enabled(if: GalleryBackend.postgresURL != nil))
    func tlsModes() throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        _ = try GalleryFixtures.gallery(in: folder, .postgres)
        guard case .postgres(var address) = try GalleryFixtures.location(in: folder, .postgres) else { return }
        func open(_ mode: GalleryLocation.TLSMode) throws -> GalleryStore {
            address.tls = mode
            return try GalleryStore.open(.postgres(address))
        }
        // Whether this connection is encrypted, as the server sees it.
        func encrypted(_ store: GalleryStore) throws -> Bool {
            try store.read { db in
                try db.fetchOne("SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid()") ?? Int64(-1)
            } == 1
        }
        let plain = try open(.disable)
        #expect(try encrypted(plain) == false)
        let offered = try plain.read { db in try db.fetchOne("SHOW ssl") ?? "off" } as String == "on"
        if offered {
            #expect(try encrypted(try open(.require)))
            #expect(try encrypted(try open(.prefer)))
            let error = #expect(throws: GalleryError.self) { try encrypted(try open(.verifyFull)) }
            #expect(error?.message.contains("cannot connect") == true, "\(error?.message ?? "")")
        } else {
            #expect(try encrypted(try open(.prefer)) == false)
            #expect(throws: GalleryError.self) { try encrypted(try open(.require)) }
        }
    }
}
