import Foundation

/// Verification pairs reduced to what the metrics need: a similarity score, the ground truth and the fold of each.
public struct ScoredPairs: Sendable, Equatable {
    /// One score per pair; larger means more similar.
    public let scores: [Double]
    /// True for a matched (same identity) pair.
    public let isMatch: [Bool]
    /// The 0-based fold of each pair.
    public let folds: [Int]

    /// Scores with their ground truth.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the counts differ, there are no pairs, a fold is negative
    ///   or a score is not finite (naming the pair).
    public init(scores: [Double], isMatch: [Bool], folds: [Int]? = nil) throws {
        let folds = folds ?? [Int](repeating: 0, count: scores.count)
        guard scores.count == isMatch.count, scores.count == folds.count else {
            throw DataError.invalidArgument("\(scores.count) scores, \(isMatch.count) labels and \(folds.count) folds: "
                + "each pair needs one of each")
        }
        guard !scores.isEmpty else { throw DataError.invalidArgument("there are no pairs to evaluate") }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw DataError.invalidArgument("pair \(bad + 1) has the score \(scores[bad]); features must be finite")
        }
        if let bad = folds.firstIndex(where: { $0 < 0 }) {
            throw DataError.invalidArgument("pair \(bad + 1) has the negative fold \(folds[bad])")
        }
        self.scores = scores
        self.isMatch = isMatch
        self.folds = folds
    }

    /// Scores every pair of `pairs` with `metric` on the rows of `features` (see ``PairFeatureLookup``).
    /// - Parameters:
    ///   - secondFeatures: where the second image of each pair is looked up instead, for verification across
    ///     conditions: the same images as `features` lists, under the same names, seen under other conditions.
    ///   - root: when given, the pairs are resolved against this image folder first.
    ///   - rejectingMissing: score a pair one of whose images has no feature row (a photo in which no face was
    ///     found) below every other pair, so that it counts as "different people" at any threshold — the
    ///     failure is charged to the system — instead of throwing.
    /// - Throws: when a pair image has no feature row, the two feature files differ in dimension, or a pair's score
    ///   is not finite (naming its line).
    public init(pairs: PairList, features: FeatureFile, secondFeatures: FeatureFile? = nil,
                metric: SimilarityMetric = .cosine, root: URL? = nil, rejectingMissing: Bool = false) throws {
        let rows = try PairFeatureLookup(features: features).rows(of: pairs, root: root, allowingMissing: rejectingMissing)
        let firstRows = rows.map(\.first)
        let second = secondFeatures ?? features
        let secondRows = try secondFeatures.map {
            try PairFeatureLookup(features: $0).rows(of: pairs, root: root, allowingMissing: rejectingMissing).map(\.second)
        } ?? rows.map(\.second)
        guard second.features.columns == features.features.columns else {
            throw DataError.invalidArgument("the second images' features have \(second.features.columns) dimensions, "
                + "the first images' \(features.features.columns)")
        }
        var scores = zip(firstRows, secondRows).map {
            $0.0 < 0 || $0.1 < 0 ? -Double.infinity : metric.score(features.features.row($0.0), second.features.row($0.1))
        }
        let rejected = scores.indices.filter { firstRows[$0] < 0 || secondRows[$0] < 0 }
        if !rejected.isEmpty {
            let floor = (scores.filter(\.isFinite).min() ?? 0) - 1
            for index in rejected { scores[index] = floor }
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            let pair = pairs.pairs[bad]
            throw DataFileError(pairs.url, line: pair.line, "the pair's \(metric.rawValue) score is \(scores[bad]): "
                + "the features of '\(features.paths[firstRows[bad]])' or '\(second.paths[secondRows[bad]])' "
                + "are not finite")
        }
        try self.init(scores: scores, isMatch: pairs.pairs.map(\.isMatch), folds: pairs.pairs.map(\.fold))
        rejectedCount = rejected.count
    }

    /// Pairs scored below every other because an image had no feature row (``init(pairs:features:secondFeatures:metric:root:rejectingMissing:)``).
    public private(set) var rejectedCount = 0

    /// Number of folds (the largest fold index + 1).
    public var foldCount: Int { (folds.max() ?? 0) + 1 }

    /// Number of matched pairs.
    public var positiveCount: Int { isMatch.count { $0 } }

    /// Number of mismatched pairs.
    public var negativeCount: Int { isMatch.count - positiveCount }

    /// The pairs whose fold satisfies `include`.
    func subset(_ include: (Int) -> Bool) -> (scores: [Double], isMatch: [Bool]) {
        let indices = folds.indices.filter { include(folds[$0]) }
        return (indices.map { scores[$0] }, indices.map { isMatch[$0] })
    }
}
