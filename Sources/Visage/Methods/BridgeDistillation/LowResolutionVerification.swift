import Foundation
import Torch

/// Face verification of a low-resolution model: both images of every pair degraded to the model's input side,
/// embedded, and scored by cosine similarity (Ge et al., Section IV-B: "the images are resized according to
/// the model input").
public struct LowResolutionVerification {
    /// Maps `[N, 3, p, p]` images to `[N, D]` embeddings.
    public let model: Module
    /// The input side p.
    public let inputSize: Int
    /// How the pair images are brought to p×p; by default area downsampling only.
    public let degradation: Degradation

    /// A verification of `model` at side `inputSize`, the images degraded by `degradation` (its resolution is
    /// replaced by `inputSize` and upsampling turned off) or only downsampled when nil.
    public init(model: Module, inputSize: Int, degradation: Degradation? = nil) throws {
        var degradation = try degradation ?? Degradation(resolutions: [inputSize], filter: .area, upsampleBack: false)
        degradation.resolutions = [inputSize]
        degradation.upsampleBack = false
        self.model = model
        self.inputSize = inputSize
        self.degradation = degradation
    }

    /// The result on `pairs` (images under `root/<identity>/<image>`): k-fold accuracy for lists with folds,
    /// else the threshold chosen on `trainingPairs` (LFW View 1), else the optimistic best threshold.
    /// - Throws: when a pair image is missing or unreadable, or the model fails on it.
    public func evaluate(pairs: PairList, trainingPairs: PairList? = nil, root: URL, name: String,
                         showProgress: Bool = true) throws -> VerificationResult {
        var paths: [String] = [], seen = Set<String>()
        for list in [pairs] + (trainingPairs.map { [$0] } ?? []) {
            paths += try ImageFileSource(imagesOf: list, root: root).paths.filter { seen.insert($0).inserted }
        }
        let source = DegradedFaceSource(try ImageFileSource(root: root, paths: paths), degradation: degradation)
        let features = try Embedder(model: model, inputSize: inputSize).featureFile(for: source,
                                                                                    showProgress: showProgress)
        let scored = try ScoredPairs(pairs: pairs, features: features, root: root)
        let training = try trainingPairs.map { try ScoredPairs(pairs: $0, features: features, root: root) }
        return try VerificationResult(name: name, pairList: pairs.url.path, metric: .cosine, pairs: scored,
                                      training: training)
    }
}
