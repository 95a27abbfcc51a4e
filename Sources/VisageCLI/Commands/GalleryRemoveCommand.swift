import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery remove`: a person or a photo out of the gallery.
struct GalleryRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a person (their faces stay, unassigned, unless --delete-faces) or a photo with its faces.")

    @OptionGroup var file: GalleryFileOption

    @Option(help: "The person to remove.")
    var person: String?

    @Option(help: "The photo to remove, found by its bytes' SHA-256 when the file is there, else by its path.")
    var photo: String?

    @Flag(help: "With --person: delete their faces (and photos left without a face) too.")
    var deleteFaces = false

    func validate() throws {
        guard (person == nil) != (photo == nil) else { throw ValidationError("give --person or --photo") }
    }

    func run() throws {
        let store = try file.open()
        if let person {
            let faces = try store.removePerson(person, deletingFaces: deleteFaces)
            print("removed '\(person)' (\(faces) faces \(deleteFaces ? "deleted" : "left unassigned"))")
        } else if let photo {
            let url = URL(fileURLWithPath: photo)
            let sha256 = FileManager.default.fileExists(atPath: url.path) ? try SHA256.hex(ofFile: url) : nil
            try store.removePhoto(path: url.path, sha256: sha256)
            print("removed \(url.path)")
        }
    }
}
