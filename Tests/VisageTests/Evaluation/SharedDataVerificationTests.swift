import Foundation
import Testing
@testable import Visage

/// dlib's features on the real pair lists give the figures of `../shared/data/reference.txt` and of the
/// independent numpy computation `scripts/reference_verification.py`.
@Suite("Shared data verification", .enabled(if: DataFixtures.hasSharedData))
struct SharedDataVerificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var dataset: String
        var pairs: String
        /// reference.txt: mean ± std (ddof 0), percent, 2 decimals.
        var reference: (mean: Double, deviation: Double)
        /// scripts/reference_verification.py: mean, std, standard error, AUC, EER, TAR at FAR 1e-1, 1e-2, 1e-3.
        var numpy: (mean: Double, deviation: Double, standardError: Double, auc: Double, eer: Double, tars: [Double])
        var testDescription: String { "\(dataset)/\(pairs)" }
    }

    static let cases = [
        Case(dataset: "lfw", pairs: "pairs.txt", reference: (98.92, 0.55),
             numpy: (98.9167, 0.5540, 0.1847, 0.998615, 0.0117, [0.9970, 0.9873, 0.9657])),
        Case(dataset: "orl", pairs: "pairs.txt", reference: (98.30, 2.77),
             numpy: (98.3000, 2.7677, 0.9226, 0.994639, 0.0160, [0.9920, 0.9830, 0.9770])),
        Case(dataset: "yaleb", pairs: "pairs_easy.txt", reference: (99.90, 0.20),
             numpy: (99.9000, 0.2000, 0.0667, 0.999999, 0.0010, [1, 1, 1])),
        Case(dataset: "yaleb", pairs: "pairs_hard.txt", reference: (90.65, 4.75),
             numpy: (90.6500, 4.7489, 1.5830, 0.968115, 0.0900, [0.9220, 0.6730, 0.4390])),
    ]

    @Test("10-fold accuracy, AUC, EER and TAR@FAR of dlib features equal the reference", arguments: cases)
    func dlib(_ reference: Case) throws {
        let features = try FeatureFile.load(features: DataFixtures.shared("\(reference.dataset)/features/dlib_resnet128.npy"))
        let pairs = try PairList(contentsOf: DataFixtures.shared("\(reference.dataset)/\(reference.pairs)"))
        let result = try VerificationResult(name: "dlib", pairList: reference.pairs, metric: .cosine,
                                            pairs: ScoredPairs(pairs: pairs, features: features))
        let accuracy = result.accuracy
        #expect(accuracy.thresholdProtocol == .crossValidated && accuracy.foldAccuracies.count == 10)
        #expect(abs(accuracy.mean - reference.reference.mean) <= 0.01)
        #expect(abs(accuracy.standardDeviation - reference.reference.deviation) <= 0.01)
        #expect(abs(accuracy.mean - reference.numpy.mean) < 1e-4)
        #expect(abs(accuracy.standardDeviation - reference.numpy.deviation) < 1e-4)
        #expect(abs(accuracy.standardError! - reference.numpy.standardError) < 1e-4)
        #expect(abs(result.areaUnderCurve - reference.numpy.auc) < 1e-6)
        #expect(abs(result.equalErrorRate - reference.numpy.eer) < 1e-4)
        #expect(result.trueAcceptRates.map(\.falseAcceptRate) == [0.1, 0.01, 0.001])
        for (measured, expected) in zip(result.trueAcceptRates.map(\.trueAcceptRate), reference.numpy.tars) {
            #expect(abs(measured - expected) < 1e-4)
        }
    }

    @Test("LFW View 1: the threshold chosen on DevTrain gives the reference accuracy on DevTest")
    func lfwViewOne() throws {
        let features = try FeatureFile.load(features: DataFixtures.shared("lfw/features/dlib_resnet128.npy"))
        let training = try ScoredPairs(pairs: PairList(contentsOf: DataFixtures.shared("lfw/pairsDevTrain.txt")),
                                       features: features)
        let test = try ScoredPairs(pairs: PairList(contentsOf: DataFixtures.shared("lfw/pairsDevTest.txt")),
                                   features: features)
        let result = try VerificationResult(name: "dlib", pairList: "pairsDevTest.txt", metric: .cosine, pairs: test,
                                            training: training)
        // scripts/reference_verification.py: threshold 0.900882, accuracy 98.3000 %.
        #expect(abs(result.accuracy.thresholds[0] - 0.900882) < 1e-6)
        #expect(abs(result.accuracy.mean - 98.3) < 1e-4)
        #expect(result.trueAcceptRates.map(\.falseAcceptRate) == [0.1, 0.01])
    }

    @Test("resolving the pairs against the aligned images gives the same scores")
    func withRoot() throws {
        let features = try FeatureFile.load(features: DataFixtures.shared("orl/features/dlib_resnet128.npy"))
        let pairs = try PairList(contentsOf: DataFixtures.shared("orl/pairs.txt"))
        let resolved = try ScoredPairs(pairs: pairs, features: features, root: DataFixtures.shared("orl/aligned"))
        #expect(resolved == (try ScoredPairs(pairs: pairs, features: features)))
    }
}
