import Foundation

/// Everything a verification run measures on one pair list: accuracy under its protocol, the ROC curve, AUC, EER
/// and TAR at the measurable FARs.
public struct VerificationResult: Sendable, Codable, Equatable {
    /// A true accept rate at a fixed false accept rate.
    public struct OperatingPoint: Sendable, Codable, Equatable {
        /// The fixed FAR.
        public var falseAcceptRate: Double
        /// The highest TAR at that FAR or below.
        public var trueAcceptRate: Double
    }

    /// The name of the features or model (a legend entry: `dlib`).
    public let name: String
    /// The pair list evaluated.
    public let pairList: String
    /// How pairs were scored.
    public let metric: SimilarityMetric
    /// Number of matched pairs.
    public let positiveCount: Int
    /// Number of mismatched pairs.
    public let negativeCount: Int
    /// Accuracy and its protocol.
    public let accuracy: VerificationAccuracy
    /// Area under the ROC curve.
    public let areaUnderCurve: Double
    /// Equal error rate (a fraction).
    public let equalErrorRate: Double
    /// TAR at FAR 1e-1, 1e-2, … down to the smallest FAR the mismatched pairs can measure.
    public let trueAcceptRates: [OperatingPoint]
    /// The full curve over all pairs.
    public let roc: ROCCurve

    /// Evaluates `pairs`: 10-fold (any k ≥ 2) cross-validated accuracy when they have folds; for a single split, the
    /// threshold fitted on `training` when given, else the optimistic best threshold on the pairs themselves.
    /// - Throws: ``DataError/invalidArgument(_:)`` when `training` is given for pairs with folds, and the errors of
    ///   ``VerificationAccuracy/crossValidated(_:)`` and ``ROCCurve/init(_:)``.
    public init(name: String, pairList: String, metric: SimilarityMetric, pairs: ScoredPairs,
                training: ScoredPairs? = nil) throws {
        self.name = name
        self.pairList = pairList
        self.metric = metric
        if let training {
            guard pairs.foldCount == 1 else {
                throw DataError.invalidArgument("training pairs choose the threshold of a single-split list; \(pairList) "
                    + "has \(pairs.foldCount) folds, which choose their thresholds on each other")
            }
            accuracy = VerificationAccuracy.withThreshold(fittedOn: training, test: pairs)
        } else if pairs.foldCount > 1 {
            accuracy = try VerificationAccuracy.crossValidated(pairs)
        } else {
            accuracy = VerificationAccuracy.bestThreshold(on: pairs)
        }
        let roc = try ROCCurve(pairs)
        self.roc = roc
        positiveCount = roc.positiveCount
        negativeCount = roc.negativeCount
        areaUnderCurve = roc.areaUnderCurve
        equalErrorRate = roc.equalErrorRate
        trueAcceptRates = roc.measurableFalseAcceptRates.map {
            OperatingPoint(falseAcceptRate: $0, trueAcceptRate: roc.trueAcceptRate(atFalseAcceptRate: $0))
        }
    }

    /// The smallest FAR reported; smaller ones would need more than `negativeCount` mismatched pairs.
    public var smallestMeasurableFalseAcceptRate: Double? { trueAcceptRates.last?.falseAcceptRate }
}
