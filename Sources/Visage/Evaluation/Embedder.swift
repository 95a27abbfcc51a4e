import Foundation
import Torch

/// Runs a face model over a ``FaceSource`` and collects one L2-normalized embedding per image.
///
/// Images are fed in source order (no shuffling), normalized as the ``BatchLoader`` does, with the model in
/// evaluation mode and gradients off. With flip test-time augmentation the embedding of an image is the sum of
/// the model's outputs for the image and its horizontal mirror, normalized after summing.
public struct Embedder {
    /// Any module mapping N×3×S×S normalized images to N×D embeddings.
    public let model: Module
    /// The side S of the square input images; images of another size are resized to it (``ResizedFaceSource``).
    public let inputSize: Int
    /// Images per forward pass.
    public let batchSize: Int
    /// Whether to add the embedding of each image's mirror before normalizing.
    public let flipTest: Bool
    /// Decoding threads.
    public let workers: Int

    /// An embedder for `model`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the input size or batch size is not positive.
    public init(model: Module, inputSize: Int = 112, batchSize: Int = 64, flipTest: Bool = false, workers: Int = 2) throws {
        guard inputSize > 0 else { throw DataError.invalidArgument("input size must be positive, got \(inputSize)") }
        guard batchSize > 0 else { throw DataError.invalidArgument("batch size must be positive, got \(batchSize)") }
        self.model = model
        self.inputSize = inputSize
        self.batchSize = batchSize
        self.flipTest = flipTest
        self.workers = workers
    }

    /// The embeddings of every image of `source`, row `i` for sample `i`.
    ///
    /// The model is left in evaluation mode.
    /// - Throws: the loader's error for an unreadable image, a ``TorchError`` when the
    ///   model rejects the input, and ``DataError/invalidArgument(_:)`` when its output is not N×D or not finite.
    public func embed(_ source: any FaceSource, showProgress: Bool = true) throws -> FeatureMatrix {
        let loader = try BatchLoader(source: ResizedFaceSource(source, side: inputSize), batchSize: batchSize,
                                     shuffle: false, imageSize: inputSize,
                                     channels: 3, workers: workers)
        model.eval()
        let progress = ProgressBar("embed", total: source.count, unit: "img", enabled: showProgress)
        defer { progress.finish() }
        var values: [Float] = []
        var dimension: Int?
        let epoch = loader.epoch(0)
        while let batch = try epoch.next() {
            let embeddings: Tensor = try withoutGrad {
                try withTorchErrors {
                    let images = batch.images
                    var output = model(images)
                    try checkOutput(output, batchCount: batch.indices.count, firstSample: source.name(at: batch.indices[0]))
                    if flipTest { output = output + model(images.flipped([3])) }
                    return Functional.normalize(output.to(.float32), dim: 1)
                }
            }
            let dims = embeddings.shape
            if dimension == nil { dimension = dims[1] }
            let array = embeddings.contiguous().array(of: Float.self)
            if let bad = array.firstIndex(where: { !$0.isFinite }) {
                throw DataError.invalidArgument("the model's embedding of \(source.name(at: batch.indices[bad / dims[1]])) "
                    + "is not finite")
            }
            values += array
            progress.advance(by: batch.indices.count)
        }
        return try FeatureMatrix(rows: source.count, columns: dimension ?? 0, values: values)
    }

    /// The embeddings of `source` as a feature file whose list gives each sample's name (for an ``ImageFolder``,
    /// its path relative to the folder's root).
    public func featureFile(for source: any FaceSource, showProgress: Bool = true) throws -> FeatureFile {
        let features = try embed(source, showProgress: showProgress)
        return try FeatureFile(features: features, paths: (0..<source.count).map { source.name(at: $0) })
    }

    private func checkOutput(_ output: Tensor, batchCount: Int, firstSample: String) throws {
        let shape = output.shape
        guard shape.count == 2, shape[0] == batchCount, shape[1] > 0 else {
            throw DataError.invalidArgument("the model maps a batch of \(batchCount) images of \(inputSize)×\(inputSize) "
                + "(from \(firstSample)) to shape \(shape); an embedder needs N×D")
        }
    }
}
