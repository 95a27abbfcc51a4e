import ArgumentParser
import Foundation
import Visage

/// `visage embed`: a model's or an engine's templates of aligned faces or of raw photos, as a feature file.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed faces with a model or engine → F.npy (N×D float32) + F.txt (names) + F.json (stamp).",
        discussion: """
            Two inputs: --data, an ImageFolder of ArcFace-aligned crops (one sub-folder per identity; re-cut as \
            dlib chips for dlib-resnet), rows in the folder's sorted order named by relative path, as `visage \
            eval --features` expects; or --photos, raw photos (files or folders, searched recursively), run \
            through detection, landmarks and the engine's crop — the largest face of each photo, or with \
            --every-face each face, rows named photo#k. A photo with no face or that cannot be read is recorded \
            in F.faces.json and left out. Embeddings are L2-normalized. F.json stamps the features with the \
            model's identifier (engine name + weights digest), which `visage cross-model` and `visage transform` \
            check.
            """)

    @Option(name: [.long, .customLong("engine")],
            help: "Model file written by `visage train` (model.safetensors), or an engine's name (`visage engines`).")
    var model: String

    @Option(help: "Aligned ImageFolder to embed.")
    var data: String?

    @Option(parsing: .upToNextOption, help: "Raw photos or folders of photos to detect, align and embed.")
    var photos: [String] = []

    @Flag(help: "With --photos: embed every face of each photo, not only the largest.")
    var everyFace = false

    @Option(help: "With --photos: times to double each photo before detection (faces from ~40 px at 1).")
    var upsample = 1

    @Option(help: ArgumentHelp("Output .npy; beside it go the name list (.txt), the stamp (.json) and, with --photos, the faces "
        + "found (.faces.json)."))
    var out: String

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Add each face's mirror's embedding; default: the engine's convention "
        + "(on for mobilefacenet-ms1m), off for trained models."))
    var flip: Bool?

    @Option(help: "Images per forward pass.")
    var batchSize = 64

    @Option(help: "Decoding threads.")
    var workers = 2

    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard (data == nil) != photos.isEmpty else { throw ValidationError("give either --data or --photos") }
        do { try FeatureStamp.checkFeaturesPath(URL(fileURLWithPath: out)) } catch { throw ValidationError("--out: \(error)") }
        guard batchSize > 0, workers > 0 else { throw ValidationError("--batch-size and --workers must be positive") }
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
    }

    func run() throws {
        var faceModel = try FaceModel.load(model)
        let npy = URL(fileURLWithPath: out)
        let faces: any FaceSource
        var detections: PhotoDetections?
        if let data {
            faces = try faceModel.faces(fromAligned: ImageFolder(root: URL(fileURLWithPath: data)))
        } else {
            let finder = try FaceFinder.load(upsample: upsample)
            let found = try PhotoDetections.detect(PhotoList(photos), finder: finder)
            detections = found
            faces = DetectedFaceSource(found, crop: faceModel.crop, everyFace: everyFace)
            for line in found.problems { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            guard faces.count > 0 else {
                throw ValidationError("no face found in any of the \(found.photos.count) photos; nothing written")
            }
        }
        faceModel = try precision.apply(to: faceModel, faces: faces)
        let features = try faceModel.embedder(batchSize: batchSize, flip: flip, workers: workers).featureFile(for: faces)
        try detections?.write(to: npy.deletingPathExtension().appendingPathExtension("faces.json"))
        try features.write(features: npy)
        try FeatureStamp(model: faceModel.identifier, dimension: features.dimension, count: faces.count).write(for: npy)
        print("wrote \(faces.count) × \(features.dimension) embeddings of \(faceModel.identifier) to \(npy.path)")
    }
}
