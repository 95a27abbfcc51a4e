import ArgumentParser
import Foundation
import Visage

/// `visage embed`: a trained model's embeddings of an ImageFolder, as a feature file.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed every image of an aligned ImageFolder with a model → F.npy (N×D float32) + F.txt (paths).",
        discussion: "Embeddings are L2-normalized; rows follow the folder's sorted order, each named by its path "
            + "relative to the folder, as `visage eval --features` expects. F.json stamps the features with the "
            + "model's identifier, which `visage cross-model` and `visage transform` check.")

    @Option(help: "Model file written by `visage train` (model.safetensors).")
    var model: String

    @Option(help: "Aligned ImageFolder to embed.")
    var data: String

    @Option(help: "Output .npy; the image list goes beside it with the extension .txt.")
    var out: String

    @Flag(help: "Add each image's mirror's embedding (flip test-time augmentation).")
    var flip = false

    @Option(help: "Images per forward pass.")
    var batchSize = 64

    @Option(help: "Decoding threads.")
    var workers = 2

    func run() throws {
        let faceModel = try FaceModel.load(from: URL(fileURLWithPath: model))
        let folder = try ImageFolder(root: URL(fileURLWithPath: data))
        let embedder = try Embedder(model: faceModel.backbone, inputSize: faceModel.inputSize, batchSize: batchSize,
                                    flipTest: flip, workers: workers)
        let features = try embedder.featureFile(for: ResizedFaceSource(folder, side: faceModel.inputSize))
        let npy = URL(fileURLWithPath: out)
        try features.write(features: npy)
        try FeatureStamp(model: faceModel.identifier, dimension: features.dimension, count: folder.count)
            .write(for: npy)
        print("wrote \(folder.count) × \(features.dimension) embeddings of \(faceModel.identifier) to \(npy.path)")
    }
}
