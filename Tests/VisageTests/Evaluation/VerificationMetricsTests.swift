import Foundation
import Testing
@testable import Visage

/// Threshold choice, LFW-protocol accuracy and ROC figures on examples small enough to check by hand.
@Suite("Verification metrics")
struct VerificationMetricsTests {
    /// Ten folds of one matched pair (0.9) and one mismatched pair (0.1), except that fold 1's mismatched pair
    /// scores 0.95: every other fold is perfect at the threshold 0.9 chosen without fold 1, and fold 1 gets half.
    static func tenFolds() throws -> ScoredPairs {
        var scores: [Double] = [], isMatch: [Bool] = [], folds: [Int] = []
        for fold in 0..<10 {
            scores += [0.9, fold == 0 ? 0.95 : 0.1]
            isMatch += [true, false]
            folds += [fold, fold]
        }
        return try ScoredPairs(scores: scores, isMatch: isMatch, folds: folds)
    }

    @Test("10-fold accuracy: threshold from the other folds, mean, ddof-0 deviation and standard error")
    func tenFoldAccuracy() throws {
        let accuracy = try VerificationAccuracy.crossValidated(Self.tenFolds())
        #expect(accuracy.foldAccuracies == [50] + [Double](repeating: 100, count: 9))
        #expect(accuracy.thresholds == [Double](repeating: 0.9, count: 10))
        #expect(abs(accuracy.mean - 95) < 1e-12)
        // sqrt((45² + 9·5²) / 10) = 15; ddof 1: sqrt(2250 / 9) / sqrt(10) = 5.
        #expect(abs(accuracy.standardDeviation - 15) < 1e-12)
        #expect(abs(accuracy.standardError! - 5) < 1e-12)
    }

    @Test("the best threshold is a score, the smallest on ties; pairs at the threshold count as matched")
    func bestThreshold() {
        // Thresholds 0.2 and 0.6 both decide 2 of 4 pairs correctly.
        let best = VerificationThreshold.best(scores: [0.6, 0.4, 0.2, 0.8], isMatch: [true, false, true, false])
        #expect(best.threshold == 0.2 && best.accuracy == 0.5)
        #expect(VerificationThreshold.accuracy(scores: [0.5, 0.5], isMatch: [true, false], threshold: 0.5) == 0.5)
    }

    @Test("single split: the threshold comes from the training pairs, or is the optimistic best on the test pairs")
    func singleSplit() throws {
        let training = try ScoredPairs(scores: [0.9, 0.7, 0.3, 0.2], isMatch: [true, true, false, false])
        let test = try ScoredPairs(scores: [0.8, 0.5, 0.4, 0.1], isMatch: [true, true, false, false])
        let fitted = VerificationAccuracy.withThreshold(fittedOn: training, test: test)
        #expect(fitted.thresholds == [0.7] && fitted.foldAccuracies == [75] && fitted.standardError == nil)
        let optimistic = VerificationAccuracy.bestThreshold(on: test)
        #expect(optimistic.thresholds == [0.5] && optimistic.foldAccuracies == [100])
        #expect(optimistic.thresholdProtocol == .bestOnTestPairs)
        #expect(throws: DataError.self) { try VerificationAccuracy.crossValidated(test) }
        #expect(throws: DataError.self) {
            try VerificationResult(name: "x", pairList: "p", metric: .cosine, pairs: Self.tenFolds(), training: training)
        }
    }

    @Test("a perfect scorer has AUC 1 and EER 0; a constant one AUC ½; a reversed one AUC 0")
    func extremeScorers() throws {
        let labels = [true, true, false, false]
        let perfect = try ROCCurve(ScoredPairs(scores: [0.9, 0.8, 0.2, 0.1], isMatch: labels))
        #expect(perfect.areaUnderCurve == 1 && perfect.equalErrorRate == 0)
        #expect(perfect.trueAcceptRate(atFalseAcceptRate: 0) == 1)
        let constant = try ROCCurve(ScoredPairs(scores: [0.5, 0.5, 0.5, 0.5], isMatch: labels))
        #expect(constant.areaUnderCurve == 0.5 && constant.equalErrorRate == 0.5)
        let reversed = try ROCCurve(ScoredPairs(scores: [0.1, 0.2, 0.8, 0.9], isMatch: labels))
        #expect(reversed.areaUnderCurve == 0)
    }

    @Test("ROC points, AUC, EER and TAR@FAR of a 3 + 3 pair example")
    func workedROC() throws {
        // Descending: 0.9 P, 0.8 N, 0.7 P, 0.3 P, 0.2 N, 0.1 N.
        let roc = try ROCCurve(ScoredPairs(scores: [0.9, 0.7, 0.3, 0.8, 0.2, 0.1],
                                           isMatch: [true, true, true, false, false, false]))
        let third = 1.0 / 3
        let expected: [(Double, Double)] = [(0, 0), (0, third), (third, third), (third, 2 * third), (third, 1),
                                            (2 * third, 1), (1, 1)]
        #expect(roc.points.count == expected.count)
        for (point, (far, tar)) in zip(roc.points, expected) {
            #expect(abs(point.falseAcceptRate - far) < 1e-12 && abs(point.trueAcceptRate - tar) < 1e-12)
        }
        #expect(abs(roc.areaUnderCurve - 7.0 / 9) < 1e-12)  // 7 of 9 matched/mismatched orderings are right
        #expect(abs(roc.equalErrorRate - third) < 1e-12)
        #expect(abs(roc.trueAcceptRate(atFalseAcceptRate: 0.1) - third) < 1e-12)
        #expect(roc.trueAcceptRate(atFalseAcceptRate: third) == 1)
        // 3 mismatched pairs cannot measure FAR 1e-1 (0.3 false accepts).
        #expect(roc.measurableFalseAcceptRates.isEmpty)
    }

    @Test("TAR is reported down to the smallest FAR the mismatched pairs can measure")
    func measurableRates() throws {
        let scores = (0..<2000).map { Double($0) }
        let roc = try ROCCurve(ScoredPairs(scores: scores, isMatch: scores.map { $0 >= 1000 }))
        #expect(roc.measurableFalseAcceptRates == [0.1, 0.01, 0.001])
        let result = try VerificationResult(name: "x", pairList: "p", metric: .cosine,
                                            pairs: ScoredPairs(scores: scores, isMatch: scores.map { $0 >= 1000 }))
        #expect(result.trueAcceptRates.map(\.trueAcceptRate) == [1, 1, 1])
        #expect(result.smallestMeasurableFalseAcceptRate == 0.001)
    }

    @Test("cosine and negative Euclidean scores")
    func metrics() {
        #expect(abs(SimilarityMetric.cosine.score([1, 0], [1, 1]) - 0.5.squareRoot()) < 1e-12)
        #expect(SimilarityMetric.euclidean.score([0, 0], [3, 4]) == -5)
    }

    @Test("bad scores and label counts throw naming them")
    func badInput() {
        #expect(throws: DataError.invalidArgument("pair 2 has the score nan; features must be finite")) {
            try ScoredPairs(scores: [0.1, .nan], isMatch: [true, false])
        }
        #expect(throws: DataError.self) { try ScoredPairs(scores: [0.1], isMatch: [true, false]) }
        #expect(throws: DataError.self) { try ROCCurve(ScoredPairs(scores: [0.1, 0.2], isMatch: [true, true])) }
    }
}
