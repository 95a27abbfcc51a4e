import GRDB

/// The gallery database's schema, as numbered migrations: a gallery written by an older Visage is brought up to
/// date when it is opened, and one written by a newer Visage (a migration this build does not know) is refused.
enum GallerySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-people-photos-faces-templates-audit") { db in
            try db.execute(sql: """
                CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE person (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    created TEXT NOT NULL);
                CREATE TABLE photo (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sha256 TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    aligned INTEGER NOT NULL,
                    bytes BLOB,
                    enrolled TEXT NOT NULL);
                CREATE TABLE face (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    photo INTEGER NOT NULL REFERENCES photo(id) ON DELETE CASCADE,
                    rank INTEGER NOT NULL,
                    person INTEGER REFERENCES person(id) ON DELETE SET NULL,
                    cluster INTEGER,
                    boxLeft INTEGER NOT NULL, boxTop INTEGER NOT NULL, boxRight INTEGER NOT NULL, boxBottom INTEGER NOT NULL,
                    landmarks TEXT NOT NULL,
                    score REAL NOT NULL,
                    UNIQUE (photo, rank));
                CREATE INDEX face_person ON face(person);
                CREATE TABLE template (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    face INTEGER NOT NULL REFERENCES face(id) ON DELETE CASCADE,
                    engine TEXT NOT NULL,
                    dimension INTEGER NOT NULL,
                    vector BLOB NOT NULL,
                    provenance TEXT NOT NULL CHECK (provenance IN ('extracted', 'transformed')),
                    transformer TEXT,
                    transformedFrom TEXT,
                    transformerTop1 REAL,
                    created TEXT NOT NULL,
                    UNIQUE (face, engine));
                CREATE INDEX template_engine ON template(engine);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time TEXT NOT NULL,
                    action TEXT NOT NULL,
                    detail TEXT NOT NULL);
                """)
        }
        return migrator
    }
}
