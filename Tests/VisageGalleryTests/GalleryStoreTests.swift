import Foundation
import GRDB
import Synchronization
import Testing
import Visage
@testable import VisageGallery

/// The store: one transaction per photo, duplicates, bad files, people, schema versions.
@Suite("Gallery store")
struct GalleryStoreTests {
    @Test("A folder enrolled twice is stored once: the second run skips every photo by its SHA-256", arguments: GalleryBackend.available)
    func reEnrollSkips(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        try GalleryFixtures.writePhotos(6, perPerson: 2, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, backend)
        let enroller = try GalleryFixtures.enroller(store, pipeline: GalleryFixtures.pipeline())
        let list = try PhotoList([folder.appendingPathComponent("photos").path])
        let first = try enroller.enroll(list, person: GalleryFixtures.folderName, showProgress: false)
        #expect(first.stored == 6 && first.faces == 6 && first.duplicates.isEmpty && first.refused.isEmpty)
        let second = try enroller.enroll(list, person: GalleryFixtures.folderName, showProgress: false)
        #expect(second.stored == 0 && second.duplicates.count == 6)
        let counts = try store.counts()
        #expect(counts.photos == 6 && counts.faces == 6 && counts.assigned == 6 && counts.people == 3)
        #expect(try store.people().map(\.name) == ["person-0", "person-1", "person-2"])
        #expect(try store.templateCounts().map(\.count) == [6])
        // A copy of a stored photo under another name is a duplicate of it.
        let copy = folder.appendingPathComponent("copy.png")
        try FileManager.default.copyItem(at: list.photos[0].url, to: copy)
        let third = try enroller.enroll(PhotoList([copy.path]), person: { _ in nil }, showProgress: false)
        #expect(third.duplicates.map(\.of) == [list.photos[0].url.path])
    }

    @Test("Empty files and files that are not images are refused, naming the file; faceless photos are recorded", arguments: GalleryBackend.available)
    func badFiles(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let empty = folder.appendingPathComponent("empty.png"), text = folder.appendingPathComponent("notes.jpg")
        try Data().write(to: empty)
        try Data("not an image".utf8).write(to: text)
        let good = try GalleryFixtures.writePhotos(1, in: folder.appendingPathComponent("good"))[0]
        let store = try GalleryFixtures.gallery(in: folder, backend)
        let enroller = try GalleryFixtures.enroller(store, pipeline: GalleryFixtures.pipeline())
        let summary = try enroller.enroll(PhotoList([empty.path, text.path, good.path]), person: { _ in "Ann" },
                                          showProgress: false)
        #expect(summary.stored == 1)
        #expect(summary.refused.map(\.photo) == [empty.path, text.path])
        #expect(summary.refused[0].reason.contains("empty") && summary.refused[0].reason.contains(empty.path))
        #expect(summary.refused[1].reason.contains(text.path))
        // No face: the photo is recorded without faces, so a re-run does not look at it again.
        #expect(try store.enroll(GalleryFixtures.photo("crowd.jpg", person: "Bob", templates: []), engine: "tiny-a")
            == .stored(photo: 2, faces: 0))
        #expect(try store.counts().faceless == 1 && store.people().map(\.name) == ["Ann"])
        #expect(try store.enroll(GalleryFixtures.photo("crowd.jpg", person: "Bob", templates: []), engine: "tiny-a")
            == .duplicate(of: "/photos/crowd.jpg"))
    }

    @Test("Rename, merge and remove change people, keep faces where asked, and are written to the audit log", arguments: GalleryBackend.available)
    func people(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let store = try GalleryFixtures.gallery(in: folder, backend)
        var random = SeededRandom(seed: 1)
        for (index, name) in ["Ann", "Ann", "Bob", "Cy"].enumerated() {
            _ = try store.enroll(GalleryFixtures.photo("\(index).jpg", person: name,
                                                       templates: [GalleryFixtures.unitVector(8, &random)]), engine: "tiny-a")
        }
        try store.rename("Bob", to: "Robert")
        #expect(throws: GalleryError.self) { try store.rename("Robert", to: "Ann") }
        #expect(try store.merge("Ann", into: "Robert") == 2)
        #expect(try store.people().map { [$0.name, "\($0.faces)"] } == [["Cy", "1"], ["Robert", "3"]])
        #expect(try store.removePerson("Cy", deletingFaces: false) == 1)
        #expect(try store.counts().faces == 4 && store.counts().assigned == 3)
        #expect(try store.removePerson("Robert", deletingFaces: true) == 3)
        #expect(try store.counts().faces == 1 && store.counts().photos == 1)
        let error = #expect(throws: GalleryError.self) { try store.merge("Nobody", into: "Cy") }
        #expect(error?.message.contains("no person named 'Nobody'") == true)
        #expect(try store.auditLog().map(\.action)
            == ["create", "enroll", "enroll", "enroll", "enroll", "rename", "merge", "remove", "remove"])
    }

    @Test("A missing gallery, a database that is no gallery and a gallery from a newer Visage are refused",
          arguments: GalleryBackend.available)
    func refusedFiles(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let missing = try GalleryFixtures.location(in: folder, backend)
        let error = #expect(throws: GalleryError.self) { try GalleryStore.open(missing) }
        #expect(error?.message.contains("visage gallery create") == true)
        // A database with a table but no gallery in it.
        switch missing {
        case .sqlite(let url):
            try DatabaseQueue(path: url.path).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        case .postgres(let address):
            let database = PostgresGalleryDatabase(address: address)
            try database.createSchema()
            try database.write { _ = try $0.execute("CREATE TABLE t (x INTEGER)") }
        }
        let other = #expect(throws: GalleryError.self) { try GalleryStore.open(missing) }
        #expect(other?.message.contains("not a Visage gallery") == true)
        #expect(throws: GalleryError.self) { try GalleryFixtures.gallery(in: folder, backend) }
        GalleryFixtures.remove(folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let newer = try GalleryFixtures.gallery(in: folder, backend)
        try newer.write { _ = try $0.execute("INSERT INTO grdb_migrations (identifier) VALUES ('9-from-the-future')") }
        let future = #expect(throws: GalleryError.self) { try GalleryStore.open(newer.location) }
        #expect(future?.message.contains("newer Visage") == true)
        #expect(throws: GalleryError.self) {
            try GalleryStore.create(at: newer.location, engine: "x", engineStamp: "x", keepPhotos: false)
        }
    }

    @Test("Two writers at once, with overlapping folders, store every photo exactly once", arguments: GalleryBackend.available)
    func twoWriters(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let urls = try GalleryFixtures.writePhotos(24, perPerson: 4, in: folder.appendingPathComponent("photos"))
        let location = try GalleryFixtures.gallery(in: folder, backend).location
        // Each writer has its own connection pool, as two processes would; their folders share 8 photos.
        let lists = try [PhotoList(urls[0..<16].map(\.path)), PhotoList(urls[8..<24].map(\.path))]
        let results = Mutex<[GalleryEnroller.Summary?]>([nil, nil])
        let failures = Mutex<[String]>([])
        // Each thread uses its own pipeline only.
        nonisolated(unsafe) let pipelines = try [GalleryFixtures.pipeline(), GalleryFixtures.pipeline()]
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                var enroller = GalleryFixtures.enroller(try GalleryStore.open(location), pipeline: pipelines[writer])
                enroller.chunkSize = 1
                let summary = try enroller.enroll(lists[writer], person: GalleryFixtures.folderName, showProgress: false)
                results.withLock { $0[writer] = summary }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let summaries = results.withLock { $0.compactMap { $0 } }
        #expect(summaries.reduce(0) { $0 + $1.stored } == 24)
        #expect(summaries.reduce(0) { $0 + $1.duplicates.count } == 8)
        let store = try GalleryStore.open(location)
        #expect(try store.counts().photos == 24 && store.counts().faces == 24 && store.templateCounts().map(\.count) == [24])
    }

    @Test("Four connections racing to store the same photos of new people: each photo and person stored once, none fails",
          arguments: GalleryBackend.available)
    func racingWriters(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let location = try GalleryFixtures.gallery(in: folder, backend).location
        var random = SeededRandom(seed: 9)
        let photos = (0..<40).map { GalleryFixtures.photo("\($0).jpg", person: "p\($0 / 2)", templates: [GalleryFixtures.unitVector(8, &random)]) }
        let stores = try (0..<4).map { _ in try GalleryStore.open(location) }
        let outcomes = Mutex<[GalleryStore.EnrollOutcome]>([])
        let failures = Mutex<[String]>([])
        // Every writer checks for the photo and the person, then inserts them, at the same moments as the others.
        DispatchQueue.concurrentPerform(iterations: stores.count) { writer in
            for photo in photos {
                do {
                    let outcome = try stores[writer].enroll(photo, engine: "tiny-a")
                    outcomes.withLock { $0.append(outcome) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let all = outcomes.withLock { $0 }
        #expect(all.count { if case .stored = $0 { true } else { false } } == 40)
        #expect(all.count { if case .duplicate = $0 { true } else { false } } == 120)
        let counts = try stores[0].counts()
        #expect(counts.photos == 40 && counts.faces == 40 && counts.people == 20)
    }

    @Test("A 1:1 check reads one person's templates of the engine: none for a stranger, refused for a half-migrated gallery", arguments: GalleryBackend.available)
    func personTemplates(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let store = try GalleryFixtures.gallery(in: folder, backend)
        var random = SeededRandom(seed: 3)
        let ann = (0..<2).map { _ in GalleryFixtures.unitVector(8, &random) }
        let bob = GalleryFixtures.unitVector(8, &random)
        for (n, template) in ann.enumerated() {
            _ = try store.enroll(GalleryFixtures.photo("ann-\(n).jpg", person: "Ann", templates: [template]), engine: "tiny-a")
        }
        _ = try store.enroll(GalleryFixtures.photo("bob.jpg", person: "Bob", templates: [bob]), engine: "tiny-a")
        let index = try #require(try store.personTemplates(named: "Ann", engine: "tiny-a"))
        #expect(index.faces.count == 2)
        #expect(abs(try index.rank([ann[1]], k: 1)[0][0].score - 1) < 1e-5)
        #expect(try store.personTemplates(named: "Zed", engine: "tiny-a") == nil)
        #expect(throws: GalleryError.self) { try store.personTemplates(named: "Ann", engine: "tiny-b") }
    }

}
