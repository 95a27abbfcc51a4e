import ArgumentParser
import Foundation
import Visage

/// `visage align`: raw face images plus landmarks → aligned crops.
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Align faces: from `visage detect` output, or raw images with a landmarks CSV.",
        discussion: """
            With --detections (faces.json from `visage detect`): each photo's largest face, or every face with \
            --every-face, cut as --crop wants (ArcFace 112×112 crops, or dlib's 150×150 chips) and written to OUT \
            as PNG named after the photo (photo#k.png for every face).
            With --images and --landmarks: IMAGES holds one sub-folder per identity. Each image is looked up in \
            the landmarks CSV (columns image, identity, detected, left_eye_x … mouth_right_y; image paths relative \
            to the CSV's folder, or to IMAGES) and written to OUT with the same relative path as an 8-bit PNG of \
            the same channels, aligned to the ArcFace template.
            """)

    @Option(name: .long, help: "faces.json written by `visage detect`.")
    var detections: String?

    @Option(name: .long, help: "With --detections: arcface (112×112, or --size) or dlib-chip (150×150, padding 0.25).")
    var crop: CropKind = .arcface

    @Flag(name: .long, help: "With --detections: every face of each photo, not only the largest.")
    var everyFace = false

    @Option(name: .long, help: "Folder of raw images, one sub-folder per identity.")
    var images: String?

    @Option(name: .long, help: "landmarks.csv with five points per image.")
    var landmarks: String?

    @Option(name: .long, help: "Folder to write the aligned PNG crops to.")
    var out: String

    @Option(name: .long, help: "Side of the square crops in pixels (the template is scaled from 112).")
    var size: Int = 112

    @Flag(name: .long, help: "Leave out images that are missing, undecodable or without landmarks, and list them.")
    var skipBad = false

    enum CropKind: String, ExpressibleByArgument, CaseIterable {
        case arcface
        case dlibChip = "dlib-chip"
    }

    func validate() throws {
        guard size > 0, size <= 4096 else { throw ValidationError("--size must be 1…4096, got \(size)") }
        guard (detections == nil) != (images == nil && landmarks == nil), (images == nil) == (landmarks == nil) else {
            throw ValidationError("give either --detections, or --images with --landmarks")
        }
    }

    func run() throws {
        if let detections { return try alignDetections(URL(fileURLWithPath: detections)) }
        let folder = try ImageFolder(root: URL(fileURLWithPath: images!))
        let landmarksFile = try LandmarksFile(contentsOf: URL(fileURLWithPath: landmarks!))
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

    private func alignDetections(_ url: URL) throws {
        let found = try PhotoDetections(contentsOf: url)
        let faceCrop: FaceCrop = crop == .arcface ? .arcface(size: size) : .dlibChip(size: 150, padding: 0.25)
        let faces = DetectedFaceSource(found, crop: faceCrop, everyFace: everyFace)
        let output = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let targets = try faces.faces.map { photo, face in
            guard !photo.name.hasPrefix("/"), !photo.name.split(separator: "/").contains("..") else {
                throw ValidationError("\(url.path): the photo name \(photo.name) would write outside \(output.path)")
            }
            return output.appendingPathComponent((photo.name as NSString).deletingPathExtension
                + (everyFace ? "#\(face)" : "") + ".png")
        }
        if let clash = Dictionary(grouping: targets.indices, by: { targets[$0] }).first(where: { $0.value.count > 1 }) {
            throw ValidationError("\(faces.name(at: clash.value[0])) and \(faces.name(at: clash.value[1])) would both be "
                + "written to \(clash.key.path); give their folder instead of the files")
        }
        let progress = ProgressBar("align", total: faces.count, unit: "face")
        for (index, target) in targets.enumerated() {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ImageCodec.write(try faces.image(at: index), to: target)
            progress.advance()
        }
        progress.finish()
        print("wrote \(faces.count) faces (\(faceCrop)) into \(output.path); \(found.photosWithoutFaces.count) photos "
            + "without a face, \(found.skipped.count) unreadable")
    }
}
