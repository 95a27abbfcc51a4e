import ArgumentParser
import Foundation
import VisageGallery

/// `visage gallery`: a face gallery in one SQLite file or a PostgreSQL schema — enroll, identify, verify, cluster,
/// migrate.
struct GalleryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "A face gallery in one SQLite file or a PostgreSQL schema: enroll photos, identify and verify faces, "
            + "cluster, migrate engines.",
        discussion: """
            The gallery (one SQLite file, WAL mode) holds people, photos (their SHA-256, and their bytes with \
            `create --keep-photos`), faces (box, five landmarks, detector score), one template per face and engine \
            (stamped with the engine; extracted, or transformed by a named cross-model transformer) and an audit \
            log. Each photo is enrolled in one transaction: an interrupted enroll keeps the photos it finished, and \
            running it again skips them. Searches compare templates of one engine only. With \
            --gallery postgres://USER@HOST:PORT/DATABASE[?schema=NAME] the same tables live in a PostgreSQL schema \
            (default public; the password from PGPASSWORD), so that several processes and service instances share \
            the gallery: writers take turns on a per-gallery lock, as on the SQLite file.
            """,
        subcommands: [
            GalleryCreateCommand.self, GalleryEnrollCommand.self, GalleryIdentifyCommand.self,
            GalleryVerifyCommand.self, GalleryPeopleCommand.self, GalleryRenameCommand.self,
            GalleryMergeCommand.self, GalleryRemoveCommand.self, GalleryClusterCommand.self,
            GalleryCalibrateCommand.self, GalleryMigrateCommand.self, GalleryServeCommand.self,
        ]
    )
}

/// The gallery every subcommand works on: an SQLite file or a PostgreSQL URL.
struct GalleryFileOption: ParsableArguments {
    @Option(name: .long, help: "The gallery: an SQLite file, or postgres://USER@HOST:PORT/DATABASE[?schema=NAME].")
    var gallery: String

    func validate() throws {
        do { _ = try GalleryLocation(gallery) } catch let error as GalleryError { throw ValidationError(error.message) }
    }

    var location: GalleryLocation { get throws { try GalleryLocation(gallery) } }

    func open() throws -> GalleryStore { try GalleryStore.open(location) }
}

/// Writes `line` to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The open-set threshold of identify, verify and cluster: given, or the gallery's.
struct GalleryThresholdOption: ParsableArguments {
    @Option(help: "Threshold (cosine); default: the gallery's calibrated or the engine's catalogue threshold.")
    var threshold: Double?

    func validate() throws {
        guard threshold?.isFinite != false else { throw ValidationError("--threshold must be finite") }
    }

    /// The threshold for templates of `stamp`, with where it comes from.
    func resolve(_ store: GalleryStore, stamp: String) throws -> (value: Double, origin: String) {
        try threshold.map { ($0, "given by --threshold") } ?? store.effectiveThreshold(for: stamp)
    }
}
