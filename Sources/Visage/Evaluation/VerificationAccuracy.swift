import Foundation

/// Verification accuracy under a stated protocol: per-fold accuracies, their mean, spread and thresholds.
public struct VerificationAccuracy: Sendable, Codable, Equatable {
    /// How the decision threshold was chosen.
    public enum ThresholdProtocol: String, Sendable, Codable {
        /// LFW's protocol: for each fold, the threshold that is best on the other folds.
        case crossValidated
        /// One threshold, the best on a separate training pair list, applied to the test pairs.
        case trainingPairs
        /// The threshold that is best on the test pairs themselves: an optimistic upper bound, not a protocol
        /// figure; used for a single split when no training pairs are given.
        case bestOnTestPairs
    }

    /// How the threshold was chosen.
    public let thresholdProtocol: ThresholdProtocol
    /// Accuracy of each fold in percent (one entry for a single split).
    public let foldAccuracies: [Double]
    /// The threshold used on each fold.
    public let thresholds: [Double]

    /// Mean of the fold accuracies, in percent.
    public let mean: Double
    /// Population standard deviation (ddof 0, numpy's default and the reference's) of the fold accuracies.
    public let standardDeviation: Double
    /// Standard error of the mean: sample standard deviation (ddof 1) / √folds; nil for a single split.
    public let standardError: Double?

    private init(thresholdProtocol: ThresholdProtocol, foldAccuracies: [Double], thresholds: [Double]) {
        self.thresholdProtocol = thresholdProtocol
        self.foldAccuracies = foldAccuracies
        self.thresholds = thresholds
        let count = Double(foldAccuracies.count)
        let mean = foldAccuracies.reduce(0, +) / count
        let squares = foldAccuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        self.mean = mean
        standardDeviation = (squares / count).squareRoot()
        standardError = foldAccuracies.count > 1 ? (squares / (count - 1)).squareRoot() / count.squareRoot() : nil
    }

    /// LFW's protocol on `pairs`: each fold is scored at the threshold that is best on all the other folds.
    /// - Throws: ``DataError/invalidArgument(_:)`` when there are fewer than 2 folds or a fold has no pairs.
    public static func crossValidated(_ pairs: ScoredPairs) throws -> VerificationAccuracy {
        let foldCount = pairs.foldCount
        guard foldCount >= 2 else {
            throw DataError.invalidArgument("cross-validation needs at least 2 folds, the pairs have \(foldCount)")
        }
        var accuracies: [Double] = [], thresholds: [Double] = []
        for fold in 0..<foldCount {
            let test = pairs.subset { $0 == fold }
            guard !test.scores.isEmpty else { throw DataError.invalidArgument("fold \(fold + 1) has no pairs") }
            let training = pairs.subset { $0 != fold }
            let threshold = VerificationThreshold.best(scores: training.scores, isMatch: training.isMatch).threshold
            thresholds.append(threshold)
            accuracies.append(100 * VerificationThreshold.accuracy(
                scores: test.scores, isMatch: test.isMatch, threshold: threshold))
        }
        return VerificationAccuracy(thresholdProtocol: .crossValidated, foldAccuracies: accuracies, thresholds: thresholds)
    }

    /// Accuracy on `test` at the threshold that is best on `training` (e.g. LFW View 1: DevTrain → DevTest).
    public static func withThreshold(fittedOn training: ScoredPairs, test: ScoredPairs) -> VerificationAccuracy {
        let threshold = VerificationThreshold.best(scores: training.scores, isMatch: training.isMatch).threshold
        let accuracy = VerificationThreshold.accuracy(scores: test.scores, isMatch: test.isMatch, threshold: threshold)
        return VerificationAccuracy(thresholdProtocol: .trainingPairs, foldAccuracies: [100 * accuracy],
                                    thresholds: [threshold])
    }

    /// Accuracy at the threshold that is best on `pairs` themselves: an optimistic bound (see
    /// ``ThresholdProtocol/bestOnTestPairs``).
    public static func bestThreshold(on pairs: ScoredPairs) -> VerificationAccuracy {
        let best = VerificationThreshold.best(scores: pairs.scores, isMatch: pairs.isMatch)
        return VerificationAccuracy(thresholdProtocol: .bestOnTestPairs, foldAccuracies: [100 * best.accuracy],
                                    thresholds: [best.threshold])
    }

    /// One line for people: `98.92 ± 0.55 % (10-fold, …)`.
    public var summary: String {
        switch thresholdProtocol {
        case .crossValidated:
            String(format: "%.2f ± %.2f %% (%d folds, threshold chosen on the other folds; std ddof 0; standard "
                + "error %.2f)", mean, standardDeviation, foldAccuracies.count, standardError ?? 0)
        case .trainingPairs:
            String(format: "%.2f %% (threshold %.4f chosen on the training pairs)", mean, thresholds[0])
        case .bestOnTestPairs:
            String(format: "%.2f %% (optimistic: threshold %.4f chosen on these same pairs; no training pairs given)",
                   mean, thresholds[0])
        }
    }
}
