import Foundation
import Visage

/// A face gallery: people, photos (optionally kept), faces, templates with their engine stamp and provenance,
/// settings and an audit log, in one SQLite file (the default: nothing to start) or one PostgreSQL schema (several
/// service instances sharing a gallery); see ``GalleryLocation``.
///
/// Every change is one transaction, writers take turns, whatever the process: a process killed mid-enroll leaves
/// each photo either wholly stored or absent, and two processes enrolling at once store each photo once.
public final class GalleryStore: Sendable {
    /// Where the gallery is.
    public let location: GalleryLocation
    let database: any GalleryDatabase

    /// Setting keys.
    enum Key {
        static let engine = "engine"
        static let engineStamp = "engine-stamp"
        static let keepPhotos = "keep-photos"
        /// The engine's ``PrecisionCalibration`` as JSON, when it runs below fp32.
        static let enginePrecision = "engine-precision"
        static func threshold(_ stamp: String) -> String { "threshold:\(stamp)" }
    }

    private init(location: GalleryLocation, database: any GalleryDatabase) {
        self.location = location
        self.database = database
    }

    /// Creates an empty gallery at `location` (a new SQLite file, or a PostgreSQL schema holding no table yet) for
    /// templates of `engine` (a catalogue name or a model file) whose stamp is `engineStamp`, run at the precision
    /// of `precision` when given (stored, so every later use of the engine runs the same lowered network).
    /// - Throws: ``GalleryError`` when a file is already there or the schema already holds tables.
    public static func create(at location: GalleryLocation, engine: String, engineStamp: String, keepPhotos: Bool,
                              precision: PrecisionCalibration? = nil) throws -> GalleryStore
    {
        let database: any GalleryDatabase
        switch location {
        case .sqlite(let url):
            guard !FileManager.default.fileExists(atPath: url.path) else {
                throw GalleryError("\(url.path) already exists; a new gallery needs a new file")
            }
            database = try SQLiteGalleryDatabase(url: url)
        case .postgres(let address):
            let postgres = PostgresGalleryDatabase(address: address)
            try postgres.createSchema()
            guard try postgres.isEmpty() else {
                throw GalleryError("\(address) already holds tables; a new gallery needs an empty schema "
                    + "(add ?schema=NAME to the URL for another one)")
            }
            database = postgres
        }
        try database.migrate()
        let store = GalleryStore(location: location, database: database)
        try store.write { db in
            try Self.set(Key.engine, engine, db)
            try Self.set(Key.engineStamp, engineStamp, db)
            try Self.set(Key.keepPhotos, keepPhotos ? "1" : "0", db)
            if let precision {
                try Self.set(Key.enginePrecision, String(decoding: try JSONEncoder().encode(precision), as: UTF8.self), db)
            }
            try Self.audit("create", "engine \(engineStamp)\(keepPhotos ? ", photos kept" : "")", db)
        }
        return store
    }

    /// Creates an empty gallery in a new SQLite file.
    public static func create(at url: URL, engine: String, engineStamp: String, keepPhotos: Bool) throws -> GalleryStore {
        try create(at: .sqlite(url), engine: engine, engineStamp: engineStamp, keepPhotos: keepPhotos)
    }

    /// Opens the gallery at `location`, bringing its schema up to date.
    /// - Throws: ``GalleryError`` when there is no such file or schema, or it is not a gallery.
    public static func open(_ location: GalleryLocation) throws -> GalleryStore {
        let database: any GalleryDatabase
        switch location {
        case .sqlite(let url):
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw GalleryError("\(url.path): no such gallery (`visage gallery create` makes one)")
            }
            database = try SQLiteGalleryDatabase(url: url)
        case .postgres(let address):
            let postgres = PostgresGalleryDatabase(address: address)
            guard try postgres.schemaExists(), try !postgres.isEmpty() else {
                throw GalleryError("\(address): no such gallery (`visage gallery create` makes one)")
            }
            database = postgres
        }
        try database.migrate()
        let store = GalleryStore(location: location, database: database)
        guard try store.setting(Key.engineStamp) != nil else {
            throw GalleryError("\(location) is a database but not a Visage gallery (it has no engine)")
        }
        return store
    }

    /// Deletes the gallery at `location` and everything in it: the SQLite file (with its WAL files), or the
    /// PostgreSQL schema. Nothing is done where there is none.
    public static func drop(_ location: GalleryLocation) throws {
        switch location {
        case .sqlite(let url):
            for suffix in ["", "-wal", "-shm"] {
                let file = URL(fileURLWithPath: url.path + suffix)
                if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            }
        case .postgres(let address):
            try PostgresGalleryDatabase(address: address).dropSchema()
        }
    }

    /// Opens the gallery in the SQLite file at `url`.
    public static func open(_ url: URL) throws -> GalleryStore { try open(.sqlite(url)) }

    // MARK: Transactions

    /// Runs `body` in one write transaction: all of it is committed or none; writers take turns.
    func write<T>(_ body: (any GalleryConnection) throws -> T) throws -> T { try database.write(body) }

    /// Runs `body` in a read transaction over one snapshot.
    func read<T>(_ body: (any GalleryConnection) throws -> T) throws -> T { try database.read(body) }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    static func audit(_ action: String, _ detail: String, _ db: any GalleryConnection) throws {
        try db.execute("INSERT INTO audit (time, action, detail) VALUES (?, ?, ?)", now(), action, detail)
    }

    static func set(_ key: String, _ value: String, _ db: any GalleryConnection) throws {
        try db.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       key, value)
    }

    // MARK: Settings

    func setting(_ key: String) throws -> String? {
        try read { db in try db.fetchOne("SELECT value FROM setting WHERE key = ?", key) }
    }

    /// The engine new templates are extracted with (a catalogue name or a model file) and its stamp.
    public func engine() throws -> (reference: String, stamp: String) {
        (try setting(Key.engine) ?? "", try setting(Key.engineStamp) ?? "")
    }

    /// The calibration the engine runs with below fp32, nil for fp32.
    /// - Throws: ``GalleryError`` when the stored calibration cannot be read.
    public func enginePrecision() throws -> PrecisionCalibration? {
        guard let text = try setting(Key.enginePrecision) else { return nil }
        do {
            return try JSONDecoder().decode(PrecisionCalibration.self, from: Data(text.utf8))
        } catch {
            throw GalleryError("\(location): the engine's stored precision calibration cannot be read: \(error)")
        }
    }

    /// Whether enrolled photos' bytes are stored.
    public func keepsPhotos() throws -> Bool { try setting(Key.keepPhotos) == "1" }

    /// The open-set threshold stored by `calibrate` for templates of `stamp`, with how it was chosen.
    public func threshold(for stamp: String) throws -> (value: Double, origin: String)? {
        guard let text = try setting(Key.threshold(stamp)) else { return nil }
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let value = Double(parts[0]) else {
            throw GalleryError("\(location): the stored threshold for \(stamp) is not a number: '\(text)'")
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
        try read { db in try db.fetchOne("SELECT path FROM photo WHERE sha256 = ?", sha256) }
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
            if let earlier: String = try db.fetchOne("SELECT path FROM photo WHERE sha256 = ?", enrollment.sha256) {
                return .duplicate(of: earlier)
            }
            // A migration may have moved the gallery to another engine while this enroll was running.
            let current: String? = try db.fetchOne("SELECT value FROM setting WHERE key = ?", Key.engineStamp)
            guard current == engine else {
                throw GalleryError("\(location) now uses \(current ?? "no engine"), but these templates are of \(engine) "
                    + "(the gallery was migrated during the enroll); \(enrollment.path) was not stored: enroll again")
            }
            let photo = try db.insert(
                "INSERT INTO photo (sha256, path, width, height, aligned, bytes, enrolled) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [enrollment.sha256, enrollment.path, enrollment.width, enrollment.height, enrollment.aligned,
                 enrollment.bytes, Self.now()])
            var person: Int64?
            if let name = enrollment.person, !enrollment.faces.isEmpty { person = try Self.personID(named: name, db) }
            for (rank, face) in enrollment.faces.enumerated() {
                let id = try db.insert(
                    """
                    INSERT INTO face (photo, rank, person, boxLeft, boxTop, boxRight, boxBottom, landmarks, score)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [photo, rank, rank == 0 ? person : nil, face.box.left, face.box.top, face.box.right,
                     face.box.bottom, Self.encode(face.landmarks), face.score])
                try Self.insertTemplate(face: id, engine: engine, vector: face.template, provenance: .extracted, db)
            }
            try Self.audit("enroll", "\(enrollment.path) (\(enrollment.sha256.prefix(16))): \(enrollment.faces.count) "
                + "face(s)\(person != nil ? " → \(enrollment.person!)" : "")", db)
            return .stored(photo: photo, faces: enrollment.faces.count)
        }
    }

    static func insertTemplate(face: Int64, engine: String, vector: [Float], provenance: TemplateProvenance,
                               _ db: any GalleryConnection) throws {
        var transformer: String?, from: String?, top1: Double?
        if case .transformed(let file, let source, let accuracy) = provenance { (transformer, from, top1) = (file, source, accuracy) }
        try db.execute(
            """
            INSERT INTO template (face, engine, dimension, vector, provenance, transformer, transformedFrom,
                                  transformerTop1, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(face, engine) DO UPDATE SET dimension = excluded.dimension, vector = excluded.vector,
                provenance = excluded.provenance, transformer = excluded.transformer,
                transformedFrom = excluded.transformedFrom, transformerTop1 = excluded.transformerTop1,
                created = excluded.created
            """,
            [face, engine, vector.count, vector.blob, transformer == nil ? "extracted" : "transformed",
             transformer, from, top1, now()])
    }

    static func personID(named name: String, _ db: any GalleryConnection) throws -> Int64 {
        if let id: Int64 = try db.fetchOne("SELECT id FROM person WHERE name = ?", name) { return id }
        return try db.insert("INSERT INTO person (name, created) VALUES (?, ?)", [name, now()])
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
            let photos: Int = try db.fetchOne("SELECT COUNT(*) FROM photo") ?? 0
            let faceless: Int = try db.fetchOne(
                "SELECT COUNT(*) FROM photo WHERE NOT EXISTS (SELECT 1 FROM face WHERE face.photo = photo.id)") ?? 0
            let faces: Int = try db.fetchOne("SELECT COUNT(*) FROM face") ?? 0
            let assigned: Int = try db.fetchOne("SELECT COUNT(*) FROM face WHERE person IS NOT NULL") ?? 0
            let people: Int = try db.fetchOne("SELECT COUNT(*) FROM person") ?? 0
            return (photos, faceless, faces, assigned, people)
        }
    }

    /// How many faces have a template of each engine stamp, and how many of those were transformed.
    public func templateCounts() throws -> [(engine: String, count: Int, transformed: Int)] {
        try read { db in
            try db.fetch("""
                SELECT engine, COUNT(*) AS n, SUM(CASE WHEN provenance = 'transformed' THEN 1 ELSE 0 END) AS t
                FROM template GROUP BY engine ORDER BY engine
                """).map { (try $0["engine"], try $0["n"], try $0["t"]) }
        }
    }

    /// Every template of `engine`, with its face's person; `assignedOnly` keeps those of faces assigned to a
    /// person, `unassignedOnly` those of faces assigned to none; `shard` keeps those of one shard
    /// (``TemplateShard``); `person` keeps those of one person's faces (filtered by the database, so verifying one
    /// person does not read the whole gallery).
    public func templates(engine: String, assignedOnly: Bool = false, unassignedOnly: Bool = false,
                          shard: TemplateShard? = nil, person: Int64? = nil) throws -> [StoredTemplate] {
        var filter = assignedOnly ? "AND face.person IS NOT NULL" : unassignedOnly ? "AND face.person IS NULL" : ""
        if let shard { filter += " AND template.face % \(shard.count) = \(shard.index)" }
        var arguments: [any SQLArgument] = [engine]
        if let person {
            filter += " AND face.person = ?"
            arguments.append(person)
        }
        return try read { db in
            try db.fetch("""
                SELECT template.face, face.person, template.vector FROM template JOIN face ON face.id = template.face
                WHERE template.engine = ? \(filter) ORDER BY template.face
                """, arguments).map {
                StoredTemplate(face: try $0["face"], person: try $0["person"], vector: [Float](blob: try $0["vector"]))
            }
        }
    }

    /// The people, by name, with their face counts.
    public func people() throws -> [GalleryPerson] {
        try read { db in
            try db.fetch("""
                SELECT person.id, person.name, COUNT(face.id) AS faces FROM person LEFT JOIN face ON face.person = person.id
                GROUP BY person.id ORDER BY person.name
                """).map { GalleryPerson(id: try $0["id"], name: try $0["name"], faces: try $0["faces"]) }
        }
    }

    /// The names of people by id.
    public func personNames() throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try people().map { ($0.id, $0.name) })
    }

    /// Faces with what re-extraction needs, in id order.
    public func faces() throws -> [StoredFace] {
        try read { db in
            try db.fetch("""
                SELECT face.id, face.photo, face.landmarks, photo.path, photo.sha256, photo.aligned, photo.bytes
                FROM face JOIN photo ON photo.id = face.photo ORDER BY face.id
                """).map {
                StoredFace(id: try $0["id"], photo: try $0["photo"], path: try $0["path"], sha256: try $0["sha256"],
                           aligned: try $0["aligned"], bytes: try $0["bytes"], landmarks: Self.decodePoints(try $0["landmarks"]))
            }
        }
    }

    /// Where each face comes from, for listings: photo path and rank in the photo.
    public func faceOrigins() throws -> [Int64: (path: String, rank: Int)] {
        try read { db in
            var origins: [Int64: (String, Int)] = [:]
            for row in try db.fetch("SELECT face.id, face.rank, photo.path FROM face JOIN photo ON photo.id = face.photo") {
                origins[try row["id"]] = (try row["path"], try row["rank"])
            }
            return origins
        }
    }

    /// A number that grows with every change to the gallery, by any process (the audit log's last entry): a
    /// search index built at one revision is current while the revision stays.
    public func revision() throws -> Int64 {
        try read { db in try db.fetchOne("SELECT MAX(id) FROM audit") ?? 0 }
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try read { db in
            try db.fetch("SELECT time, action, detail FROM audit ORDER BY id").map {
                AuditEntry(time: try $0["time"], action: try $0["action"], detail: try $0["detail"])
            }
        }
    }

    // MARK: People

    func requirePerson(_ name: String, _ db: any GalleryConnection) throws -> Int64 {
        guard let id: Int64 = try db.fetchOne("SELECT id FROM person WHERE name = ?", name) else {
            throw GalleryError("\(location) has no person named '\(name)' (`visage gallery people` lists them)")
        }
        return id
    }

    /// Renames a person.
    public func rename(_ name: String, to newName: String) throws {
        try write { db in
            let id = try requirePerson(name, db)
            if try db.fetchOne("SELECT id FROM person WHERE name = ?", newName) as Int64? != nil {
                throw GalleryError("'\(newName)' is already a person in \(location); use `visage gallery merge` to join them")
            }
            try db.execute("UPDATE person SET name = ? WHERE id = ?", newName, id)
            try Self.audit("rename", "'\(name)' → '\(newName)'", db)
        }
    }

    /// Moves every face of `source` to `target` and removes `source`; returns the faces moved.
    @discardableResult
    public func merge(_ source: String, into target: String) throws -> Int {
        try write { db in
            let from = try requirePerson(source, db), to = try requirePerson(target, db)
            guard from != to else { throw GalleryError("cannot merge '\(source)' into itself") }
            let moved = try db.execute("UPDATE face SET person = ? WHERE person = ?", to, from)
            try db.execute("DELETE FROM person WHERE id = ?", from)
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
            var faces: Int = try db.fetchOne("SELECT COUNT(*) FROM face WHERE person = ?", id) ?? 0
            if deletingFaces {
                faces = try db.execute("DELETE FROM face WHERE person = ?", id)
                try db.execute("DELETE FROM photo WHERE NOT EXISTS (SELECT 1 FROM face WHERE face.photo = photo.id)")
            }
            try db.execute("DELETE FROM person WHERE id = ?", id)
            try Self.audit("remove", "person '\(name)' (\(faces) faces \(deletingFaces ? "deleted" : "left unassigned"))", db)
            return faces
        }
    }

    /// Removes the photo with this SHA-256 (or, failing that, at this path) and its faces and templates.
    /// - Returns: how many photos were removed.
    @discardableResult
    public func removePhoto(path: String, sha256: String?) throws -> Int {
        try write { db in
            var removed = 0
            if let sha256 { removed = try db.execute("DELETE FROM photo WHERE sha256 = ?", sha256) }
            if removed == 0 { removed = try db.execute("DELETE FROM photo WHERE path = ?", path) }
            guard removed > 0 else { throw GalleryError("\(location) holds no photo \(path)") }
            try Self.audit("remove", "photo \(path)", db)
            return removed
        }
    }

    // MARK: Clusters

    /// Replaces the cluster labels of unassigned faces: `labels[face]` for each face given, none for the others.
    public func setClusters(_ labels: [Int64: Int], engine: String, algorithm: String) throws {
        try write { db in
            try db.execute("UPDATE face SET cluster = NULL")
            for (face, label) in labels {
                try db.execute("UPDATE face SET cluster = ? WHERE id = ?", label, face)
            }
            try Self.audit("cluster", "\(Set(labels.values).count) clusters of \(labels.count) unassigned faces "
                + "(\(engine), \(algorithm))", db)
        }
    }

    /// The clusters of unassigned faces: label → face ids, largest first.
    public func clusters() throws -> [(label: Int, faces: [Int64])] {
        try read { db in
            var groups: [Int: [Int64]] = [:]
            for row in try db.fetch("SELECT id, cluster FROM face WHERE cluster IS NOT NULL AND person IS NULL") {
                groups[try row["cluster"], default: []].append(try row["id"])
            }
            return groups.map { ($0.key, $0.value.sorted()) }.sorted { ($0.faces.count, -$0.label) > ($1.faces.count, -$1.label) }
        }
    }

    /// Assigns every unassigned face of cluster `label` to the person `name` (created if new); returns the faces.
    @discardableResult
    public func nameCluster(_ label: Int, as name: String) throws -> Int {
        try write { db in
            let person = try Self.personID(named: name, db)
            let faces = try db.execute("UPDATE face SET person = ?, cluster = NULL WHERE cluster = ? AND person IS NULL",
                                       person, label)
            guard faces > 0 else { throw GalleryError("\(location) has no cluster \(label) (`visage gallery cluster --list`)") }
            try Self.audit("name-cluster", "cluster \(label) (\(faces) faces) → '\(name)'", db)
            return faces
        }
    }

    // MARK: Migration

    /// Stores templates of `engine` for the given faces in one transaction and makes `engine` (whose model is
    /// `reference`, run in fp32, or at the precision of `precision` when given) the gallery's engine.
    public func storeMigrated(_ templates: [(face: Int64, vector: [Float], provenance: TemplateProvenance)],
                              engine: String, reference: String, summary: String,
                              precision: PrecisionCalibration? = nil) throws {
        let calibration = try precision.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try write { db in
            for template in templates {
                try Self.insertTemplate(face: template.face, engine: engine, vector: template.vector,
                                        provenance: template.provenance, db)
            }
            try Self.set(Key.engine, reference, db)
            try Self.set(Key.engineStamp, engine, db)
            // The old engine's calibration never fits the new one.
            if let calibration {
                try Self.set(Key.enginePrecision, calibration, db)
            } else {
                try db.execute("DELETE FROM setting WHERE key = ?", Key.enginePrecision)
            }
            try Self.audit("migrate", summary, db)
        }
    }
}
