import ArgumentParser
import Foundation
import Visage

/// `visage detect`: the faces in photos — boxes, confidences and dlib's five landmarks — as JSON.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find the faces in photos (dlib's MMOD CNN detector and 5-point landmarks) → faces.json.",
        discussion: """
            PHOTOS are image files or folders (searched recursively). For each photo faces.json records its size \
            and every face found, largest first: the box (dlib's inclusive rectangle: left, top, right, bottom), \
            the detector's confidence and the five landmarks (right eye outer and inner corner, left eye outer and \
            inner corner, base of the nose). A photo that cannot be read is recorded with the reason and left out; \
            photos without a face are listed. `visage align --detections` and `visage embed --photos` use the same \
            pipeline.
            """)

    @Argument(help: "Photos, or folders of photos.")
    var photos: [String]

    @Option(help: "Where to write the detections (JSON).")
    var out: String

    @Option(help: "Times to double each photo before detection: faces from about 80 px at 0, 40 at 1, 20 at 2.")
    var upsample = 1

    @Option(help: "Detector confidence a face needs (dlib's default 0; lower finds more, with more false faces).")
    var threshold = 0.0

    @Option(help: ArgumentHelp("dlib imglab XML of annotated face boxes for these photos (matched by file name): "
        + "prints recall and mean overlap at IoU ≥ 0.5, and detections matching no face. Repeatable."))
    var annotations: [String] = []

    func validate() throws {
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
        guard threshold.isFinite else { throw ValidationError("--threshold must be a finite number") }
    }

    func run() throws {
        let list = try PhotoList(photos)
        let finder = try FaceFinder.load(upsample: upsample, threshold: threshold)
        let detections = try PhotoDetections.detect(list, finder: finder)
        try detections.write(to: URL(fileURLWithPath: out))
        for line in detections.problems { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if !annotations.isEmpty { try evaluate(detections, against: annotations.map { URL(fileURLWithPath: $0) }) }
        let faces = detections.photos.reduce(0) { $0 + $1.faces.count }
        print("found \(faces) faces in \(detections.photos.count - detections.skipped.count) photos "
            + "(\(detections.photosWithoutFaces.count) without a face, \(detections.skipped.count) unreadable); "
            + "wrote \(out)")
    }

    private func evaluate(_ detections: PhotoDetections, against urls: [URL]) throws {
        let truth = try urls.flatMap { try DetectionAnnotations(contentsOf: $0).photos }
        var evaluation = DetectionEvaluation(minimumOverlap: 0.5)
        for photo in detections.photos {
            let file = URL(fileURLWithPath: photo.path).lastPathComponent
            guard let annotated = truth.first(where: { $0.url.lastPathComponent == file }) else { continue }
            evaluation.add(annotated: annotated.boxes, detected: photo.faces.map(\.box))
        }
        guard evaluation.annotated > 0 else {
            throw ValidationError("no annotated photo is among the photos detected")
        }
        print(String(format: "against the annotations: recall %d/%d = %.3f at IoU ≥ 0.5, mean IoU of matches %.3f, %d detections "
            + "matching no annotated face", evaluation.matched, evaluation.annotated,
            evaluation.recall, evaluation.meanOverlap, evaluation.falsePositives))
    }
}
