import Foundation
import GRDB
import Visage

/// A face gallery in one SQLite file: people, photos (optionally kept), faces, templates with their engine stamp
/// and provenance, settings and an audit log.
///
/// The database runs in WAL mode, so readers never wait for a writer; every change is one IMMEDIATE transaction,
/// so a process killed mid-enroll leaves each photo either wholly stored or absent, and two processes writing at
/// once wait for each other (up to ``busyTimeout``) instead of failing.
public final class GalleryStore: Sendable {
    /// The database file.
    public let url: URL
    let pool: DatabasePool

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    /// Setting keys.
    enum Key {
        static let engine = "engine"
        static let engineStamp = "engine-stamp"
        static let keepPhotos = "keep-photos"
        static func threshold(_ stamp: String) -> String { "threshold:\(stamp)" }
    }

    private init(url: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        self.url = url
        do {
            pool = try DatabasePool(path: url.path, configuration: configuration)
        } catch {
            throw GalleryError("\(url.path): cannot be opened as a gallery: \(error)")
        }
        let migrator = GallerySchema.migrator
        try pool.read { db in
            if try migrator.hasBeenSuperseded(db) {
                throw GalleryError("\(url.path) was written by a newer Visage (its schema has migrations this one "
                    + "does not know); it is left as it is")
            }
        }
        try migrator.migrate(pool)
    }

    /// Creates an empty gallery at `url` for templates of `engine` (a catalogue name or a model file) whose
    /// stamp is `engineStamp`.
    /// - Throws: ``GalleryError`` when a file is already there.
    public static func create(at url: URL, engine: String, engineStamp: String, keepPhotos: Bool) throws -> GalleryStore {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw GalleryError("\(url.path) already exists; a new gallery needs a new file")
        }
        let store = try GalleryStore(url: url)
        try store.write { db in
            try Self.set(Key.engine, engine, db)
            try Self.set(Key.engineStamp, engineStamp, db)
            try Self.set(Key.keepPhotos, keepPhotos ? "1" : "0", db)
            try Self.audit("create", "engine \(engineStamp)\(keepPhotos ? ", photos kept" : "")", db)
        }
        return store
    }

    /// Opens the gallery at `url`, bringing its schema up to date.
    /// - Throws: ``GalleryError`` when there is no such file or it is not a gallery.
    public static func open(_ url: URL) throws -> GalleryStore {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GalleryError("\(url.path): no such gallery (`visage gallery create` makes one)")
        }
        let store = try GalleryStore(url: url)
        guard try store.setting(Key.engineStamp) != nil else {
            throw GalleryError("\(url.path) is an SQLite file but not a Visage gallery (it has no engine)")
        }
        return store
    }

    // MARK: Transactions

    /// Runs `body` in one IMMEDIATE transaction: all of it is committed or none.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    static func audit(_ action: String, _ detail: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO audit (time, action, detail) VALUES (?, ?, ?)", arguments: [now(), action, detail])
    }

    static func set(_ key: String, _ value: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    // MARK: Settings

    func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }

    /// The engine new templates are extracted with (a catalogue name or a model file) and its stamp.
    public func engine() throws -> (reference: String, stamp: String) {
        (try setting(Key.engine) ?? "", try setting(Key.engineStamp) ?? "")
    }

    /// Whether enrolled photos' bytes are stored.
    public func keepsPhotos() throws -> Bool { try setting(Key.keepPhotos) == "1" }

    /// The open-set threshold stored by `calibrate` for templates of `stamp`, with how it was chosen.
    public func threshold(for stamp: String) throws -> (value: Double, origin: String)? {
        guard let text = try setting(Key.threshold(stamp)) else { return nil }
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let value = Double(parts[0]) else {
            throw GalleryError("\(url.path): the stored threshold for \(stamp) is not a number: '\(text)'")
        }
        return (value, parts.count > 1 ? parts[1] : "")
    }

    /// Stores the open-set threshold for `stamp`, with a description of how it was chosen.
    public func setThreshold(_ value: Double, origin: String, for stamp: String) throws {
        try write { db in
            try Self.set(Key.threshold(stamp), "\(value) \(origin)", db)
            try Self.audit("calibrate", "\(stamp): threshold \(value) (\(origin))", db)
        }
    }

    // MARK: Enrolling

    /// The path under which a photo with this SHA-256 was stored, nil when there is none.
    public func storedPath(sha256: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT path FROM photo WHERE sha256 = ?", arguments: [sha256]) }
    }

    /// What ``enroll(_:engine:)`` did with a photo.
    public enum EnrollOutcome: Sendable, Equatable {
        /// Stored, with this many faces.
        case stored(photo: Int64, faces: Int)
        /// A photo with the same bytes was already stored (by this run, an earlier one or another process).
        case duplicate(of: String)
    }

    /// Stores a photo, its faces and their templates (of `engine`, a stamp) in one transaction; the photo's
    /// largest face is assigned to `enrollment.person` (created if new).
    /// - Throws: ``GalleryError`` when `engine` is no longer the gallery's engine (nothing is stored).
    public func enroll(_ enrollment: PhotoEnrollment, engine: String) throws -> EnrollOutcome {
        try write { db in
            if let earlier = try String.fetchOne(db, sql: "SELECT path FROM photo WHERE sha256 = ?",
                                                 arguments: [enrollment.sha256]) {
                return .duplicate(of: earlier)
            }
            // A migration may have moved the gallery to another engine while this enroll was running.
            let current = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Key.engineStamp])
            guard current == engine else {
                throw GalleryError("\(url.path) now uses \(current ?? "no engine"), but these templates are of \(engine) "
                    + "(the gallery was migrated during the enroll); \(enrollment.path) was not stored: enroll again")
            }
            let now = Self.now()
            try db.execute(
                sql: "INSERT INTO photo (sha256, path, width, height, aligned, bytes, enrolled) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [enrollment.sha256, enrollment.path, enrollment.width, enrollment.height, enrollment.aligned,
                            enrollment.bytes, now])
            let photo = db.lastInsertedRowID
            var person: Int64?
            if let name = enrollment.person, !enrollment.faces.isEmpty { person = try Self.personID(named: name, db) }
            for (rank, face) in enrollment.faces.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO face (photo, rank, person, boxLeft, boxTop, boxRight, boxBottom, landmarks, score)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [photo, rank, rank == 0 ? person : nil, face.box.left, face.box.top, face.box.right,
                                face.box.bottom, Self.encode(face.landmarks), face.score])
                try Self.insertTemplate(face: db.lastInsertedRowID, engine: engine, vector: face.template,
                                        provenance: .extracted, db)
            }
            try Self.audit("enroll", "\(enrollment.path) (\(enrollment.sha256.prefix(16))): \(enrollment.faces.count) "
                + "face(s)\(person != nil ? " → \(enrollment.person!)" : "")", db)
            return .stored(photo: photo, faces: enrollment.faces.count)
        }
    }

    static func insertTemplate(face: Int64, engine: String, vector: [Float], provenance: TemplateProvenance,
                               _ db: Database) throws {
        var transformer: String?, from: String?, top1: Double?
        if case .transformed(let file, let source, let accuracy) = provenance { (transformer, from, top1) = (file, source, accuracy) }
        try db.execute(
            sql: """
                INSERT INTO template (face, engine, dimension, vector, provenance, transformer, transformedFrom,
                                      transformerTop1, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(face, engine) DO UPDATE SET dimension = excluded.dimension, vector = excluded.vector,
                    provenance = excluded.provenance, transformer = excluded.transformer,
                    transformedFrom = excluded.transformedFrom, transformerTop1 = excluded.transformerTop1,
                    created = excluded.created
                """,
            arguments: [face, engine, vector.count, vector.blob, transformer == nil ? "extracted" : "transformed",
                        transformer, from, top1, now()])
    }

    static func personID(named name: String, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE name = ?", arguments: [name]) { return id }
        try db.execute(sql: "INSERT INTO person (name, created) VALUES (?, ?)", arguments: [name, now()])
        return db.lastInsertedRowID
    }

    static func encode(_ points: [SIMD2<Double>]) -> String {
        "[" + points.flatMap { [$0.x, $0.y] }.map { "\($0)" }.joined(separator: ",") + "]"
    }

    static func decodePoints(_ text: String) -> [SIMD2<Double>] {
        let values = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap { Double($0) }
        return stride(from: 0, to: values.count - 1, by: 2).map { SIMD2(values[$0], values[$0 + 1]) }
    }

    // MARK: Reading

    /// Counts of photos, faces, faces assigned to a person, and people.
    public func counts() throws -> (photos: Int, faceless: Int, faces: Int, assigned: Int, people: Int) {
        try read { db in
            let photos = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM photo") ?? 0
            let faceless = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM photo WHERE NOT EXISTS (SELECT 1 FROM face WHERE face.photo = photo.id)") ?? 0
            let faces = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM face") ?? 0
            let assigned = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM face WHERE person IS NOT NULL") ?? 0
            let people = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0
            return (photos, faceless, faces, assigned, people)
        }
    }

    /// How many faces have a template of each engine stamp, and how many of those were transformed.
    public func templateCounts() throws -> [(engine: String, count: Int, transformed: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT engine, COUNT(*) AS n, SUM(provenance = 'transformed') AS t FROM template GROUP BY engine ORDER BY engine
                """).map { ($0["engine"], $0["n"], $0["t"]) }
        }
    }

    /// Every template of `engine`, with its face's person; `assignedOnly` keeps those of faces assigned to a
    /// person, `unassignedOnly` those of faces assigned to none.
    public func templates(engine: String, assignedOnly: Bool = false, unassignedOnly: Bool = false) throws -> [StoredTemplate] {
        let filter = assignedOnly ? "AND face.person IS NOT NULL" : unassignedOnly ? "AND face.person IS NULL" : ""
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT template.face, face.person, template.vector FROM template JOIN face ON face.id = template.face
                WHERE template.engine = ? \(filter) ORDER BY template.face
                """, arguments: [engine]).map {
                StoredTemplate(face: $0["face"], person: $0["person"], vector: [Float](blob: $0["vector"]))
            }
        }
    }

    /// The people, by name, with their face counts.
    public func people() throws -> [GalleryPerson] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT person.id, person.name, COUNT(face.id) AS faces FROM person LEFT JOIN face ON face.person = person.id
                GROUP BY person.id ORDER BY person.name
                """).map { GalleryPerson(id: $0["id"], name: $0["name"], faces: $0["faces"]) }
        }
    }

    /// The names of people by id.
    public func personNames() throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try people().map { ($0.id, $0.name) })
    }

    /// Faces with what re-extraction needs, in id order.
    public func faces() throws -> [StoredFace] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT face.id, face.photo, face.landmarks, photo.path, photo.sha256, photo.aligned, photo.bytes
                FROM face JOIN photo ON photo.id = face.photo ORDER BY face.id
                """).map {
                StoredFace(id: $0["id"], photo: $0["photo"], path: $0["path"], sha256: $0["sha256"],
                           aligned: $0["aligned"], bytes: $0["bytes"], landmarks: Self.decodePoints($0["landmarks"]))
            }
        }
    }

    /// Where each face comes from, for listings: photo path and rank in the photo.
    public func faceOrigins() throws -> [Int64: (path: String, rank: Int)] {
        try read { db in
            var origins: [Int64: (String, Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT face.id, face.rank, photo.path FROM face JOIN photo ON photo.id = face.photo") {
                origins[row["id"]] = (row["path"], row["rank"])
            }
            return origins
        }
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT time, action, detail FROM audit ORDER BY id").map {
                AuditEntry(time: $0["time"], action: $0["action"], detail: $0["detail"])
            }
        }
    }

    // MARK: People

    func requirePerson(_ name: String, _ db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE name = ?", arguments: [name]) else {
            throw GalleryError("\(url.path) has no person named '\(name)' (`visage gallery people` lists them)")
        }
        return id
    }

    /// Renames a person.
    public func rename(_ name: String, to newName: String) throws {
        try write { db in
            let id = try requirePerson(name, db)
            if try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE name = ?", arguments: [newName]) != nil {
                throw GalleryError("'\(newName)' is already a person in \(url.path); use `visage gallery merge` to join them")
            }
            try db.execute(sql: "UPDATE person SET name = ? WHERE id = ?", arguments: [newName, id])
            try Self.audit("rename", "'\(name)' → '\(newName)'", db)
        }
    }

    /// Moves every face of `source` to `target` and removes `source`; returns the faces moved.
    @discardableResult
    public func merge(_ source: String, into target: String) throws -> Int {
        try write { db in
            let from = try requirePerson(source, db), to = try requirePerson(target, db)
            guard from != to else { throw GalleryError("cannot merge '\(source)' into itself") }
            try db.execute(sql: "UPDATE face SET person = ? WHERE person = ?", arguments: [to, from])
            let moved = db.changesCount
            try db.execute(sql: "DELETE FROM person WHERE id = ?", arguments: [from])
            try Self.audit("merge", "'\(source)' (\(moved) faces) into '\(target)'", db)
            return moved
        }
    }

    /// Removes a person; with `deletingFaces` their faces (and those faces' photos when no other face remains)
    /// go too, else the faces stay, unassigned.
    @discardableResult
    public func removePerson(_ name: String, deletingFaces: Bool) throws -> Int {
        try write { db in
            let id = try requirePerson(name, db)
            var faces = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM face WHERE person = ?", arguments: [id]) ?? 0
            if deletingFaces {
                try db.execute(sql: "DELETE FROM face WHERE person = ?", arguments: [id])
                faces = db.changesCount
                try db.execute(sql: "DELETE FROM photo WHERE NOT EXISTS (SELECT 1 FROM face WHERE face.photo = photo.id)")
            }
            try db.execute(sql: "DELETE FROM person WHERE id = ?", arguments: [id])
            try Self.audit("remove", "person '\(name)' (\(faces) faces \(deletingFaces ? "deleted" : "left unassigned"))", db)
            return faces
        }
    }

    /// Removes the photo with this SHA-256 (or, failing that, at this path) and its faces and templates.
    /// - Returns: how many photos were removed.
    @discardableResult
    public func removePhoto(path: String, sha256: String?) throws -> Int {
        try write { db in
            if let sha256 {
                try db.execute(sql: "DELETE FROM photo WHERE sha256 = ?", arguments: [sha256])
            }
            if db.changesCount == 0 || sha256 == nil {
                try db.execute(sql: "DELETE FROM photo WHERE path = ?", arguments: [path])
            }
            let removed = db.changesCount
            guard removed > 0 else { throw GalleryError("\(url.path) holds no photo \(path)") }
            try Self.audit("remove", "photo \(path)", db)
            return removed
        }
    }

    // MARK: Clusters

    /// Replaces the cluster labels of unassigned faces: `labels[face]` for each face given, none for the others.
    public func setClusters(_ labels: [Int64: Int], engine: String, algorithm: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE face SET cluster = NULL")
            for (face, label) in labels {
                try db.execute(sql: "UPDATE face SET cluster = ? WHERE id = ?", arguments: [label, face])
            }
            try Self.audit("cluster", "\(Set(labels.values).count) clusters of \(labels.count) unassigned faces "
                + "(\(engine), \(algorithm))", db)
        }
    }

    /// The clusters of unassigned faces: label → face ids, largest first.
    public func clusters() throws -> [(label: Int, faces: [Int64])] {
        try read { db in
            var groups: [Int: [Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, cluster FROM face WHERE cluster IS NOT NULL AND person IS NULL") {
                groups[row["cluster"], default: []].append(row["id"])
            }
            return groups.map { ($0.key, $0.value.sorted()) }.sorted { ($0.faces.count, -$0.label) > ($1.faces.count, -$1.label) }
        }
    }

    /// Assigns every unassigned face of cluster `label` to the person `name` (created if new); returns the faces.
    @discardableResult
    public func nameCluster(_ label: Int, as name: String) throws -> Int {
        try write { db in
            let person = try Self.personID(named: name, db)
            try db.execute(sql: "UPDATE face SET person = ?, cluster = NULL WHERE cluster = ? AND person IS NULL",
                           arguments: [person, label])
            let faces = db.changesCount
            guard faces > 0 else { throw GalleryError("\(url.path) has no cluster \(label) (`visage gallery cluster --list`)") }
            try Self.audit("name-cluster", "cluster \(label) (\(faces) faces) → '\(name)'", db)
            return faces
        }
    }

    // MARK: Migration

    /// Stores templates of `engine` for the given faces in one transaction and makes `engine` (whose model is
    /// `reference`) the gallery's engine.
    public func storeMigrated(_ templates: [(face: Int64, vector: [Float], provenance: TemplateProvenance)],
                              engine: String, reference: String, summary: String) throws {
        try write { db in
            for template in templates {
                try Self.insertTemplate(face: template.face, engine: engine, vector: template.vector,
                                        provenance: template.provenance, db)
            }
            try Self.set(Key.engine, reference, db)
            try Self.set(Key.engineStamp, engine, db)
            try Self.audit("migrate", summary, db)
        }
    }
}
