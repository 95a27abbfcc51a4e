import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery enroll`: photos or folders into the gallery.
struct GalleryEnrollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll photos or folders: detect, align and embed every face, one transaction per photo.",
        discussion: """
            Folders are searched recursively. Each photo's faces are all stored; the largest is assigned to the \
            person (--person, or the photo's folder name with --folder-names), the others stay unassigned for \
            `cluster`. A photo whose bytes are already in the gallery is skipped and listed as a duplicate; a \
            photo with no face is recorded (so a re-run skips it); an empty or unreadable file, or one that is not \
            an image, is refused: listed on standard error, and the command then fails after storing the others.
            """)

    @OptionGroup var file: GalleryFileOption

    @Argument(help: "Photos, or folders of photos.")
    var photos: [String]

    @Option(help: "Whom the photos show (their largest face).")
    var person: String?

    @Flag(help: "Take each photo's person from the name of the folder it is in.")
    var folderNames = false

    @Flag(help: "The photos are ArcFace-aligned 112×112 crops: take each as one face, without detection.")
    var aligned = false

    @Option(help: "Times to double each photo before detection (faces from ~40 px at 1).")
    var upsample = 1

    func validate() throws {
        guard person == nil || !folderNames else { throw ValidationError("give --person or --folder-names, not both") }
        guard person?.isEmpty != true else { throw ValidationError("--person must not be empty") }
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
    }

    func run() throws {
        let store = try file.open()
        let list = try PhotoList(photos)
        let model = try store.loadModel()
        let pipeline = try FacePipeline(model: model, finder: aligned ? nil : try FaceFinder.load(upsample: upsample))
        var enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: model.identifier)
        enroller.aligned = aligned
        let folderNames = self.folderNames, person = self.person
        let summary = try enroller.enroll(list) { photo in
            folderNames ? photo.url.deletingLastPathComponent().lastPathComponent : person
        }
        for (photo, earlier) in summary.duplicates {
            printError(photo == earlier ? "already enrolled: \(photo)" : "duplicate: \(photo) has the same bytes as \(earlier)")
        }
        for photo in summary.faceless { printError("no face found in \(photo) (recorded)") }
        for (_, reason) in summary.refused { printError("refused: \(reason)") }
        print("enrolled \(summary.stored) photos (\(summary.faces) faces, \(summary.faceless.count) without a face); "
            + "\(summary.duplicates.count) duplicates skipped, \(summary.refused.count) refused")
        if !summary.refused.isEmpty {
            throw GalleryError("\(summary.refused.count) file(s) refused (listed above); the others were enrolled")
        }
    }
}
