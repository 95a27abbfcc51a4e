import Foundation
import Testing
@testable import Visage

@Suite("Score fusion")
struct ScoreFusionTests {
    @Test("Each engine's scores are z-scored over the pairs and averaged")
    func workedExample() throws {
        let isMatch = [true, true, false, false]
        let a = try ScoredPairs(scores: [1, 2, 3, 4], isMatch: isMatch, folds: [0, 0, 1, 1])
        let b = try ScoredPairs(scores: [10, 30, 20, 40], isMatch: isMatch, folds: [0, 0, 1, 1])
        let fused = try ScoredPairs.fused([a, b])
        // a: mean 2.5, std √1.25; b: mean 25, std √125 = 10·√1.25.
        let s = 1.25.squareRoot()
        let expected = [(-1.5 - 1.5) / s / 2, (-0.5 + 0.5) / s / 2, (0.5 - 0.5) / s / 2, (1.5 + 1.5) / s / 2]
        for (got, want) in zip(fused.scores, expected) { #expect(abs(got - want) < 1e-12) }
        #expect(fused.isMatch == isMatch && fused.folds == [0, 0, 1, 1])
    }

    @Test("Fewer than two engines, different pairs or constant scores are refused")
    func refusals() throws {
        let a = try ScoredPairs(scores: [1, 2], isMatch: [true, false])
        #expect(throws: DataError.self) { try ScoredPairs.fused([a]) }
        let other = try ScoredPairs(scores: [1, 2], isMatch: [false, true])
        #expect(throws: DataError.self) { try ScoredPairs.fused([a, other]) }
        let constant = try ScoredPairs(scores: [3, 3], isMatch: [true, false])
        let error = #expect(throws: DataError.self) { try ScoredPairs.fused([a, constant]) }
        #expect("\(error!)".contains("engine 2"))
    }
}

@Suite("Pairs with a missing template")
struct MissingTemplateTests {
    @Test("Rejected pairs score below every other pair; without the option the pair list is refused")
    func rejected() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try PairList(contentsOf: DataFixtures.write("1 1\na 1.png 2.png\na 1.png b 3.png\n", to: "pairs.txt", in: folder))
        // b/3.png has no template (no face was found in it).
        let features = try FeatureFile(features: FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0.6, 0.8]),
                                       paths: ["a/1.png", "a/2.png"])
        #expect(throws: DataFileError.self) { try ScoredPairs(pairs: pairs, features: features) }
        let scored = try ScoredPairs(pairs: pairs, features: features, rejectingMissing: true)
        #expect(scored.rejectedCount == 1)
        #expect(abs(scored.scores[0] - 0.6) < 1e-6 && abs(scored.scores[1] - (-0.4)) < 1e-6)
    }
}
