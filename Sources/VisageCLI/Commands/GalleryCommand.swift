import ArgumentParser
import Foundation
import VisageGallery

/// `visage gallery`: a face gallery in one SQLite file — enroll, identify, verify, cluster, migrate.
struct GalleryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "A face gallery in one SQLite file: enroll photos, identify and verify faces, cluster, migrate engines.",
        discussion: """
            The gallery (one SQLite file, WAL mode) holds people, photos (their SHA-256, and their bytes with \
            `create --keep-photos`), faces (box, five landmarks, detector score), one template per face and engine \
            (stamped with the engine; extracted, or transformed by a named cross-model transformer) and an audit \
            log. Each photo is enrolled in one transaction: an interrupted enroll keeps the photos it finished, and \
            running it again skips them. Searches compare templates of one engine only.
            """,
        subcommands: [
            GalleryCreateCommand.self, GalleryEnrollCommand.self, GalleryIdentifyCommand.self,
            GalleryVerifyCommand.self, GalleryPeopleCommand.self, GalleryRenameCommand.self,
            GalleryMergeCommand.self, GalleryRemoveCommand.self, GalleryClusterCommand.self,
            GalleryCalibrateCommand.self, GalleryMigrateCommand.self, GalleryServeCommand.self,
        ]
    )
}

/// The gallery file every subcommand works on.
struct GalleryFileOption: ParsableArguments {
    @Option(name: .long, help: "The gallery file (SQLite).")
    var gallery: String

    var url: URL { URL(fileURLWithPath: gallery) }

    func open() throws -> GalleryStore { try GalleryStore.open(url) }
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
