import Foundation
import Torch

/// Verification across a condition gap on synthetic people: one pair list scored with both photos of every pair
/// under their drawn conditions ("matched conditions"), then once per ``SyntheticConditionShift`` with the second
/// photo of every pair moved by the shift.
///
/// People, pairs, labels, folds and first photos are the same in every row, and a shifted second photo keeps all
/// its other conditions, so the rows differ only in the condition gap between the two sides of a pair.
public struct SyntheticConditionShiftValidation {
    /// The pairs, naming the dataset's photos as ``SyntheticFaceSource`` names them.
    public let pairs: PairList
    /// The people and their photos under the drawn conditions.
    public let dataset: SyntheticDataset
    /// The shifts of the second photos, one row each after the matched row.
    public let shifts: [SyntheticConditionShift]

    /// Validation of `pairs` over the photos of `dataset`, with a row per shift.
    /// - Throws: `SyntheticFaceError.invalidArgument` for a shift the renderer cannot honour.
    public init(pairs: PairList, dataset: SyntheticDataset,
                shifts: [SyntheticConditionShift] = [.largePose, .lowResolution]) throws {
        for shift in shifts { try shift.validate() }
        self.pairs = pairs
        self.dataset = dataset
        self.shifts = shifts
    }

    /// The label of each row: `matched conditions`, then each shift's ``SyntheticConditionShift/label``.
    public var conditionLabels: [String] { ["matched conditions"] + shifts.map(\.label) }

    /// The first photos of every pair: the dataset's photos under their drawn conditions.
    public func firstImages() throws -> SyntheticFaceSource {
        try SyntheticFaceSource(dataset: dataset)
    }

    /// The second photos of each row, in ``conditionLabels`` order: the drawn conditions, then each shift.
    public func secondImages() throws -> [SyntheticFaceSource] {
        try [firstImages()] + shifts.map { try SyntheticFaceSource(dataset: dataset, shift: $0) }
    }

    /// Embeds the photos with `model` (N×3×S×S → N×D) and scores the pairs once per row; the results are named
    /// `<modelName>, <condition label>`.
    /// - Throws: the embedder's errors, and a `DataFileError` when a pair names a photo the dataset lacks.
    public func evaluate(_ model: Module, inputSize: Int, modelName: String,
                         showProgress: Bool = false) throws -> [VerificationResult] {
        let embedder = try Embedder(model: model, inputSize: inputSize)
        // The matched row's second photos are the first photos, so they are embedded once.
        let features = try secondImages().map {
            try embedder.featureFile(for: ResizedFaceSource($0, side: inputSize), showProgress: showProgress)
        }
        return try zip(conditionLabels, features).map { label, second in
            let scored = try ScoredPairs(pairs: pairs, features: features[0], secondFeatures: second)
            return try VerificationResult(name: "\(modelName), \(label)", pairList: pairs.url.path, metric: .cosine,
                                          pairs: scored)
        }
    }
}
