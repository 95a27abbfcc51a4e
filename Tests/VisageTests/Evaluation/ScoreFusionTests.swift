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
