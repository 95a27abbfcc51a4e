
extension GalleryStore {
    /// Refuses a search of `engine`'s templates that would silently leave faces out: when faces (those assigned to
    /// a person, with `assignedOnly`) have templates of other engines but none of `engine`.
    /// - Throws: ``GalleryError`` naming the engines, their template counts and the ways forward.
    public func requireCoverage(of engine: String, assignedOnly: Bool) throws {
        let filter = assignedOnly ? "AND face.person IS NOT NULL" : ""
        let missing: Int = try read { db in
            try db.fetchOne("""
                SELECT COUNT(*) FROM face WHERE EXISTS (SELECT 1 FROM template WHERE template.face = face.id)
                AND NOT EXISTS (SELECT 1 FROM template WHERE template.face = face.id AND template.engine = ?) \(filter)
                """, engine) ?? 0
        }
        guard missing > 0 else { return }
        let engines = try templateCounts().map { "\($0.engine) (\($0.count) templates\($0.transformed > 0 ? ", \($0.transformed) transformed" : ""))" }
        throw GalleryError("\(location) mixes engines: \(missing) \(assignedOnly ? "enrolled " : "")face(s) have no "
            + "template of \(engine), and templates of different engines cannot be compared. The gallery holds "
            + engines.joined(separator: ", ") + ". Migrate it (`visage gallery migrate --to ENGINE`) or search each "
            + "engine apart (--per-engine).")
    }
}
