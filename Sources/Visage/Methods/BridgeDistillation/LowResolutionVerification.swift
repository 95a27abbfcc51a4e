import Foundation
import Torch

/// Face verification at a low resolution p: both images of every pair downsampled to p×p and scored by cosine
/// similarity (Ge et al., Section IV-B: "the images are resized according to the model input").
///
/// A student whose input is p×p takes the p×p faces as they are. Any other model (a high-resolution teacher
/// such as `dlib-resnet`) gets them upsampled back (bicubic) to the aligned crop's size and then cut as it wants:
/// the baseline a user tries first, the large model on low-resolution faces without training.
public struct LowResolutionVerification {
    /// The model verified.
    public let model: FaceModel
    /// The side p both pair images are brought down to.
    public let resolution: Int
    /// How the pair images are brought to p×p (and back up for a model of another input size).
    public let degradation: Degradation

    /// A verification of `model` at side `resolution` (default: the model's input side), the images degraded by
    /// `degradation` (its resolution replaced by `resolution`) or only downsampled (area) when nil; upsampled
    /// back when the model's input side is not `resolution`.
    /// - Throws: ``DataError/invalidArgument(_:)`` for a side below 1.
    public init(model: FaceModel, resolution: Int? = nil, degradation: Degradation? = nil) throws {
        let side = resolution ?? model.inputSize
        guard side >= 1 else { throw DataError.invalidArgument("the resolution must be at least 1 pixel, got \(side)") }
        var degradation = try degradation ?? Degradation(resolutions: [side], filter: .area)
        degradation.resolutions = [side]
        degradation.upsampleBack = Self.upsamples(model: model, resolution: side)
        self.model = model
        self.resolution = side
        self.degradation = degradation
    }

    /// Whether `model` needs the p×p faces upsampled back: a model whose input is not an ArcFace crop of side p.
    public static func upsamples(model: FaceModel, resolution: Int) -> Bool {
        model.crop != .arcface(size: resolution)
    }

    /// Aligned faces as this verification shows them to the model: degraded to p×p (and back up, and cut, for a
    /// model of another input).
    public func faces(fromAligned source: any FaceSource) throws -> any FaceSource {
        try model.faces(fromAligned: DegradedFaceSource(source, degradation: degradation))
    }

    /// The result on `pairs` (images under `root/<identity>/<image>`): k-fold accuracy for lists with folds,
    /// else the threshold chosen on `trainingPairs` (LFW View 1), else the optimistic best threshold.
    /// - Throws: when a pair image is missing or unreadable, or the model fails on it.
    public func evaluate(pairs: PairList, trainingPairs: PairList? = nil, root: URL, name: String,
                         showProgress: Bool = true) throws -> VerificationResult {
        let source = try faces(fromAligned: ImageFileSource(imagesOf: [pairs] + (trainingPairs.map { [$0] } ?? []),
                                                            root: root))
        let features = try model.embedder().featureFile(for: source, showProgress: showProgress)
        let scored = try ScoredPairs(pairs: pairs, features: features, root: root)
        let training = try trainingPairs.map { try ScoredPairs(pairs: $0, features: features, root: root) }
        return try VerificationResult(name: name, pairList: pairs.url.path, metric: .cosine, pairs: scored,
                                      training: training)
    }
}
