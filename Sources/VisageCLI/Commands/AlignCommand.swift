import ArgumentParser
import Foundation
import Visage

/// `visage align`: raw face images plus 5-point landmarks → ArcFace-aligned crops.
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Align raw face images to the ArcFace 5-point template using a landmarks CSV.",
        discussion: """
            IMAGES holds one sub-folder per identity. Each image is looked up in the landmarks CSV (columns image, \
            identity, detected, left_eye_x … mouth_right_y; image paths relative to the CSV's folder, or to \
            IMAGES) and written to OUT with the same relative path as an 8-bit PNG of the same channels.
            """)

    @Option(name: .long, help: "Folder of raw images, one sub-folder per identity.")
    var images: String

    @Option(name: .long, help: "landmarks.csv with five points per image.")
    var landmarks: String

    @Option(name: .long, help: "Folder to write the aligned PNG crops to.")
    var out: String

    @Option(name: .long, help: "Side of the square crops in pixels (the template is scaled from 112).")
    var size: Int = 112

    @Flag(name: .long, help: "Leave out images that are missing, undecodable or without landmarks, and list them.")
    var skipBad = false

    func validate() throws {
        guard size > 0 else { throw ValidationError("--size must be positive, got \(size)") }
    }

    func run() throws {
        let folder = try ImageFolder(root: URL(fileURLWithPath: images))
        let landmarksFile = try LandmarksFile(contentsOf: URL(fileURLWithPath: landmarks))
        let alignment = try FolderAlignment(
            images: folder, landmarks: landmarksFile, output: URL(fileURLWithPath: out), size: size)
        let progress = ProgressBar("align", total: folder.samples.count, unit: "img")
        let report = try alignment.run(skipBad: skipBad, progress: progress)
        progress.finish()
        for bad in report.skipped {
            FileHandle.standardError.write(Data("skipped \(bad)\n".utf8))
        }
        print("aligned \(report.aligned) of \(folder.samples.count) images into \(alignment.output.path)"
            + (report.skipped.isEmpty ? "" : "; skipped \(report.skipped.count)"))
    }
}
