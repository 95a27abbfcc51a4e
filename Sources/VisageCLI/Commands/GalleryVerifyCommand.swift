import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery verify`: whether a photo shows a given person of the gallery.
struct GalleryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify that a photo's largest face is a person of the gallery (1:1 at the threshold).",
        discussion: "Exits with status 0 for the same person, 1 for a different one.")

    @OptionGroup var file: GalleryFileOption

    @Argument(help: "The photo.")
    var photo: String

    @Option(help: "The person claimed.")
    var person: String

    @OptionGroup var threshold: GalleryThresholdOption

    @Flag(help: "The photo is an ArcFace-aligned 112×112 crop (no detection).")
    var aligned = false

    func run() throws {
        let store = try file.open()
        let stamp = try store.engine().stamp
        guard let index = try store.personTemplates(named: person, engine: stamp) else {
            throw GalleryError("\(file.gallery) has no person named '\(person)' (`visage gallery people` lists them)")
        }
        let pipeline = try FacePipeline(model: try store.loadModel(), finder: aligned ? nil : try FaceFinder.load())
        let (faces, problems) = try pipeline.probes(try PhotoList([photo]), aligned: aligned, everyFace: false,
                                                    showProgress: false)
        guard let face = faces.first else { throw GalleryError(problems.first ?? "no face found in \(photo)") }
        let score = try index.rank([face.template], k: 1)[0][0].score
        let (value, origin) = try threshold.resolve(store, stamp: stamp)
        let same = score >= value
        print(String(format: "%@: %@ '%@' (score %.4f, threshold %.4f: %@)", photo, same ? "same person as" : "not",
                     person, score, value, origin))
        if !same { throw ExitCode(1) }
    }
}
