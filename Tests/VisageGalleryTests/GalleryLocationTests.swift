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
        #expect(plain.port == 5432 && plain.schema == "public")
    }

    @Test("A URL without user or database, with an unknown option or an odd schema is refused, its password hidden")
    func refused() {
        for (url, words) in [("postgres://localhost/faces", "names no user"),
                             ("postgres://ann:pw@localhost/", "names no database"),
                             ("postgres://ann:pw@localhost/faces?sslmode=require", "unknown option 'sslmode'"),
                             ("postgres://ann@localhost/faces?schema=a-b", "letters, digits and _")] {
            let error = #expect(throws: GalleryError.self, "\(url)") { try GalleryLocation(url) }
            #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(":pw@") == false)
        }
    }
}
