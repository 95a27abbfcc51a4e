import Testing
@testable import Visage

@Suite("NonMaximumSuppression")
struct NonMaximumSuppressionTests {
    private func box(_ left: Int, _ top: Int, _ right: Int, _ bottom: Int, _ score: Double) -> FaceDetection {
        FaceDetection(left: left, top: top, right: right, bottom: bottom, score: score)
    }

    @Test("dlib's rule divides the intersection by the enclosing box, not the union")
    func enclosingBoxRatio() {
        let a = box(0, 0, 9, 9, 1), b = box(3, 3, 12, 12, 0.5)
        // Intersection 7×7 = 49; enclosing 13×13 = 169 → 0.290; union 100 + 100 − 49 = 151 → 0.325.
        #expect(!NonMaximumSuppression(overlapThreshold: 0.3).overlaps(a, b))
        #expect(NonMaximumSuppression(overlapThreshold: 0.28).overlaps(a, b))
        #expect(abs(a.intersectionOverUnion(b) - 49.0 / 151.0) < 1e-12)
    }

    @Test("a box mostly inside another is suppressed by the covered rule")
    func coveredRule() {
        let big = box(0, 0, 39, 39, 2), small = box(5, 5, 14, 14, 1)
        // Intersection 100 = all of small; enclosing 1600 → 0.0625.
        #expect(!NonMaximumSuppression(overlapThreshold: 0.3, coveredThreshold: 1).overlaps(big, small))
        #expect(NonMaximumSuppression(overlapThreshold: 0.3, coveredThreshold: 0.95).overlaps(big, small))
    }

    @Test("greedy suppression keeps the first of each overlapping group, in the given order")
    func greedy() {
        let rule = NonMaximumSuppression(overlapThreshold: 0.4)
        let sorted = [
            box(100, 100, 179, 179, 3),  // kept
            box(104, 102, 183, 181, 2.5),  // 76×78 = 5928 over 84×82 = 6888 → 0.86: suppressed
            box(0, 0, 79, 79, 2),  // disjoint: kept
            box(150, 100, 229, 179, 1),  // 30×80 = 2400 over 130×80 = 10400 → 0.23: kept
            box(60, 0, 139, 79, 0.5),  // with (0,0,79,79): 20×80 = 1600 / 140×80 = 11200; kept
        ]
        #expect(rule.suppress(sorted).map(\.score) == [3, 2, 1, 0.5])
        #expect(rule.suppress([]).isEmpty)
    }

    @Test("touching boxes do not overlap")
    func touching() {
        #expect(!NonMaximumSuppression(overlapThreshold: 0).overlaps(box(0, 0, 9, 9, 1), box(10, 0, 19, 9, 1)))
        #expect(NonMaximumSuppression(overlapThreshold: 0).overlaps(box(0, 0, 9, 9, 1), box(9, 0, 18, 9, 1)))
    }
}
