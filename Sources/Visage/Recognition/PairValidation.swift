import Foundation
import Torch

/// Verification on a pair list, run on a model during training: embeds the images the pairs use and reports
/// accuracy, AUC and EER.
///
/// Pair lists with folds get k-fold accuracy; a single-split list gets the best threshold on its own pairs,
/// which is optimistic — fine for watching a run, not for reporting (use `visage eval` with training pairs).
public struct PairValidation {
    public let pairs: PairList
    /// The distinct images of the pairs.
    public let images: any FaceSource
    /// Short name used in log keys (`<name>_accuracy`).
    public let name: String

    /// Validation on `pairs`, whose images are found under `root` (an ImageFolder layout).
    public init(pairs: PairList, root: URL, name: String = "val") throws {
        self.init(pairs: pairs, images: try ImageFileSource(imagesOf: pairs, root: root), name: name)
    }

    /// Validation on `pairs` whose images `images` provides, named as the pair list names them
    /// (`identity/file`).
    public init(pairs: PairList, images: any FaceSource, name: String = "val") {
        self.pairs = pairs
        self.images = images
        self.name = name
    }

    /// Evaluates `model` (N×3×S×S → N×D); the result is called `resultName`, or ``name``.
    public func evaluate(_ model: Module, inputSize: Int, flipTest: Bool = false, resultName: String? = nil,
                         showProgress: Bool = false) throws -> VerificationResult {
        let embedder = try Embedder(model: model, inputSize: inputSize, flipTest: flipTest)
        let features = try embedder.featureFile(for: images, showProgress: showProgress)
        let scored = try ScoredPairs(pairs: pairs, features: features)
        return try VerificationResult(name: resultName ?? name, pairList: pairs.url.path, metric: .cosine, pairs: scored)
    }

    /// The figures logged during training.
    public func metrics(of model: Module, inputSize: Int) throws -> [String: Double] {
        let result = try evaluate(model, inputSize: inputSize)
        return ["\(name)_accuracy": result.accuracy.mean, "\(name)_auc": result.areaUnderCurve,
                "\(name)_eer": result.equalErrorRate]
    }
}
