import Foundation
import SyntheticFaces
import Torch

/// Verification across a condition gap on synthetic people: one pair list scored with both photos of every pair
/// under their drawn conditions ("matched conditions"), then once per ``SyntheticConditionShift`` with the second
/// photo of every pair moved by the shift.
///
/// People, pairs, labels, folds and first photos are the same in every row, and a shifted second photo keeps all
/// its other conditions, so the rows differ only in the condition gap between the two sides of a pair.
public struct SyntheticConditionShiftValidation: Sendable {
    /// The pairs, naming the dataset's photos as ``SyntheticFaceSource`` names them.
    public let pairs: PairList
    /// The people and their photos under the drawn conditions.
    public let dataset: SyntheticDataset
    /// The shifts of the second photos, one row each after the matched row.
    public let shifts: [SyntheticConditionShift]
    /// The side of the model input the photos are resized to.
    public let inputSize: Int
    /// ``secondPhotos()`` rendered once, resized to ``inputSize`` and held in memory, so that several models are
    /// evaluated without rendering again; the first row's are also every row's first photos.
    public let rendered: [MemoryFaceSource]

    /// Validation of `pairs` over the photos of `dataset`, with a row per shift; renders the photos of every row
    /// (on `workers` threads) for models with `inputSize`×`inputSize` input.
    /// - Throws: `SyntheticFaceError.invalidArgument` for a shift the renderer cannot honour, and
    ///   ``DataError/invalidArgument(_:)`` for an input size below 8.
    public init(pairs: PairList, dataset: SyntheticDataset, shifts: [SyntheticConditionShift] = [.largePose, .lowResolution],
                inputSize: Int, workers: Int = 2, showProgress: Bool = false) throws {
        self.pairs = pairs
        self.dataset = dataset
        self.shifts = shifts
        self.inputSize = inputSize
        rendered = try Self.photos(of: dataset, shifts: shifts).map {
            try MemoryFaceSource(reading: ResizedFaceSource($0, side: inputSize), workers: workers, showProgress: showProgress)
        }
    }

    /// The label of each row: `matched conditions`, then each shift's ``SyntheticConditionShift/label``.
    public var conditionLabels: [String] { ["matched conditions"] + shifts.map(\.label) }

    /// The first photos of every pair: the dataset's photos under their drawn conditions.
    public func firstPhotos() throws -> SyntheticFaceSource {
        try SyntheticFaceSource(dataset: dataset)
    }

    /// The second photos of each row, in ``conditionLabels`` order: the drawn conditions, then each shift.
    public func secondPhotos() throws -> [SyntheticFaceSource] {
        try Self.photos(of: dataset, shifts: shifts)
    }

    private static func photos(of dataset: SyntheticDataset, shifts: [SyntheticConditionShift]) throws -> [SyntheticFaceSource] {
        try [SyntheticFaceSource(dataset: dataset)] + shifts.map { try SyntheticFaceSource(dataset: dataset, shift: $0) }
    }

    /// Embeds the rendered photos with `model` (N×3×S×S → N×D, S = ``inputSize``) and scores the pairs once per
    /// row; the results are named `<modelName>, <condition label>`.
    /// - Throws: the embedder's errors, and a `DataFileError` when a pair names a photo the dataset lacks.
    public func evaluate(_ model: Module, modelName: String, showProgress: Bool = false) throws -> [VerificationResult] {
        let embedder = try Embedder(model: model, inputSize: inputSize)
        let features = try rendered.map { try embedder.featureFile(for: $0, showProgress: showProgress) }
        return try zip(conditionLabels, features).map { label, second in
            let scored = try ScoredPairs(pairs: pairs, features: features[0], secondFeatures: second)
            return try VerificationResult(name: "\(modelName), \(label)", pairList: pairs.url.path, metric: .cosine,
                                          pairs: scored)
        }
    }
}
