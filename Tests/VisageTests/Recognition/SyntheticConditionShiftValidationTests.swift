import Foundation
import SyntheticFaces
import Testing
import Torch
@testable import Visage

/// Condition-shift verification scores one pair list with the second photos under matched or shifted conditions.
@Suite("Synthetic condition-shift validation")
struct SyntheticConditionShiftValidationTests {
    /// The image averaged to 4×4 per channel, N×48: a fixed "model" whose embeddings follow the pixels.
    final class PooledPixels: Module {
        override func forward(_ input: Tensor) -> Tensor {
            Functional.adaptiveAvgPool2d(input, outputSize: [4, 4]).flattened(from: 1)
        }
    }

    /// 4 people × 2 photos (rendering dominates the run time), 2 folds of 2 matched and 2 mismatched pairs.
    static let fixture = Result { try makeValidation() }

    static func validation() throws -> SyntheticConditionShiftValidation { try fixture.get() }

    static func makeValidation() throws -> SyntheticConditionShiftValidation {
        let dataset = try SyntheticDataset(identities: 4, imagesPerIdentity: 2, seed: 5)
        let pairs = try PairList(parsing: dataset.pairs(folds: 2, pairsPerFold: 2).text,
                                 url: URL(fileURLWithPath: "/synthetic/pairs.txt"))
        return try SyntheticConditionShiftValidation(pairs: pairs, dataset: dataset, inputSize: 16)
    }

    @Test("each row pairs the same photos: first under the drawn conditions, second under the row's condition")
    func rowsDifferOnlyInTheSecondPhoto() throws {
        let validation = try Self.validation()
        #expect(validation.conditionLabels == ["matched conditions", "pose-shifted (yaw 45-60 deg)",
                                               "resolution-shifted (16/20/24 px)"])
        let first = try validation.firstPhotos()
        let seconds = try validation.secondPhotos()
        #expect(seconds.map(\.shift) == [nil, .largePose, .lowResolution])
        let index = Dictionary(uniqueKeysWithValues: (0..<first.count).map { (first.name(at: $0), $0) })
        let standard = SyntheticConditionRanges.standard
        for pair in validation.pairs.pairs {
            let a = try #require(index[pair.first.identity + "/" + pair.first.reference.description])
            let b = try #require(index[pair.second.identity + "/" + pair.second.reference.description])
            #expect((first.label(at: a) == first.label(at: b)) == pair.isMatch)
            let firstConditions = first.conditions(at: a)
            #expect(abs(firstConditions.yaw) <= standard.maxYaw && firstConditions.resolution == 112)
            #expect(seconds[0].conditions(at: b) == first.conditions(at: b))
            #expect((45...60).contains(abs(seconds[1].conditions(at: b).yaw)))
            #expect([16, 20, 24].contains(seconds[2].conditions(at: b).resolution))
            for second in seconds { #expect(second.name(at: b) == first.name(at: b)) }
        }
        #expect(validation.rendered.map(\.count) == [8, 8, 8])
        #expect((0..<8).map(validation.rendered[2].name) == (0..<8).map(first.name))
        #expect(try validation.rendered[2].image(at: 3) == ResizedFaceSource(seconds[2], side: 16).image(at: 3))
    }

    @Test("evaluation gives a result per row over the same pairs; the matched row is plain pair scoring")
    func evaluation() throws {
        let validation = try Self.validation()
        let model = PooledPixels()
        let results = try validation.evaluate(model, modelName: "pixels")
        #expect(results.map(\.name) == ["pixels, matched conditions", "pixels, pose-shifted (yaw 45-60 deg)",
                                        "pixels, resolution-shifted (16/20/24 px)"])
        for result in results {
            #expect(result.positiveCount == 4 && result.negativeCount == 4)
            #expect(result.pairList == "/synthetic/pairs.txt")
        }
        let features = try Embedder(model: model, inputSize: 16).featureFile(for: validation.rendered[0], showProgress: false)
        let plain = try VerificationResult(name: "pixels, matched conditions", pairList: "/synthetic/pairs.txt",
                                           metric: .cosine, pairs: ScoredPairs(pairs: validation.pairs, features: features))
        #expect(results[0] == plain)
        #expect(results[1].roc != results[0].roc && results[2].roc != results[0].roc)
    }
}
