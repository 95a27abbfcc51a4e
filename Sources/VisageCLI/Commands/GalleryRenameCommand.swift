import ArgumentParser
import VisageGallery

/// `visage gallery rename`: a person's new name.
struct GalleryRenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a person.")

    @OptionGroup var file: GalleryFileOption

    @Argument(help: "The person's name.")
    var name: String

    @Argument(help: "The new name.")
    var newName: String

    func validate() throws {
        guard !newName.isEmpty else { throw ValidationError("the new name must not be empty") }
    }

    func run() throws {
        try file.open().rename(name, to: newName)
        print("renamed '\(name)' to '\(newName)'")
    }
}
