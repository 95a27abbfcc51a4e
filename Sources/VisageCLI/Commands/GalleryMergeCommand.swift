import ArgumentParser
import VisageGallery

/// `visage gallery merge`: two people who are one.
struct GalleryMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge a person into another: their faces move, the first name goes.")

    @OptionGroup var file: GalleryFileOption

    @Argument(help: "The person to merge away.")
    var source: String

    @Argument(help: "The person who keeps the faces.")
    var target: String

    func run() throws {
        let moved = try file.open().merge(source, into: target)
        print("merged '\(source)' into '\(target)' (\(moved) faces moved)")
    }
}
