import Foundation
import Testing
@testable import Visage

@Suite("SimilarityTransform")
struct SimilarityTransformTests {
    struct Known: Sendable, CustomTestStringConvertible {
        var scale: Double
        var rotation: Double
        var translation: SIMD2<Double>
        var testDescription: String { "scale \(scale), rotation \(rotation), translation \(translation)" }
    }

    static let knownTransforms = [
        Known(scale: 1, rotation: 0, translation: .zero),
        Known(scale: 0.37, rotation: 0.3, translation: SIMD2(-12.5, 40)),
        Known(scale: 2.5, rotation: -1.2, translation: SIMD2(100, -3)),
        Known(scale: 1.1, rotation: .pi * 0.9, translation: SIMD2(7, 7)),
    ]

    static let templatePoints = AlignmentTemplate.arcface112.landmarks.points

    @Test("recovers a known similarity exactly from five points", arguments: knownTransforms)
    func recoversKnownTransform(_ known: Known) throws {
        let truth = SimilarityTransform(scale: known.scale, rotation: known.rotation, translation: known.translation)
        let destination = Self.templatePoints.map(truth.apply)
        let estimate = try SimilarityTransform.estimate(from: Self.templatePoints, to: destination)
        #expect(abs(estimate.a - truth.a) < 1e-12)
        #expect(abs(estimate.b - truth.b) < 1e-12)
        #expect(abs(estimate.tx - truth.tx) < 1e-9)
        #expect(abs(estimate.ty - truth.ty) < 1e-9)
        #expect(abs(estimate.scale - known.scale) < 1e-12)
    }

    /// Sum of squared distances between the mapped source and the destination.
    static func cost(_ transform: SimilarityTransform, _ source: [SIMD2<Double>], _ destination: [SIMD2<Double>]) -> Double {
        zip(source, destination).reduce(0) { total, pair in
            let d = transform.apply(pair.0) - pair.1
            return total + d.x * d.x + d.y * d.y
        }
    }

    @Test("is the least-squares optimum for noisy and mirrored points", arguments: [1, 2, 3] as [UInt64])
    func isLeastSquaresOptimum(seed: UInt64) throws {
        var generator = SeededRandom(seed: seed)
        let source = Self.templatePoints
        var destination = source.map {
            SIMD2(60 + 0.8 * $0.x + 5 * (generator.unit() - 0.5), 20 + 0.8 * $0.y + 5 * (generator.unit() - 0.5))
        }
        if seed == 3 { destination = destination.map { SIMD2(-$0.x, $0.y) } }  // a reflection it must not use
        let best = try SimilarityTransform.estimate(from: source, to: destination)
        let bestCost = Self.cost(best, source, destination)
        for step in [1e-3, 1e-2] {
            for (da, db, dx, dy) in [(step, 0.0, 0.0, 0.0), (-step, 0, 0, 0), (0, step, 0, 0), (0, -step, 0, 0),
                                     (0, 0, step, 0), (0, 0, 0, -step), (step, step, step, step)] {
                let other = SimilarityTransform(a: best.a + da, b: best.b + db, tx: best.tx + dx, ty: best.ty + dy)
                #expect(Self.cost(other, source, destination) > bestCost)
            }
        }
    }

    @Test("inverse and composition undo the transform")
    func inverse() throws {
        let transform = SimilarityTransform(scale: 1.7, rotation: 0.4, translation: SIMD2(3, -8))
        let inverse = try #require(transform.inverse)
        let roundTrip = transform.followed(by: inverse)
        for point in Self.templatePoints {
            let back = inverse.apply(transform.apply(point))
            #expect(abs(back.x - point.x) < 1e-12 && abs(back.y - point.y) < 1e-12)
            let composed = roundTrip.apply(point)
            #expect(abs(composed.x - point.x) < 1e-12 && abs(composed.y - point.y) < 1e-12)
        }
        #expect(SimilarityTransform(a: 0, b: 0, tx: 1, ty: 1).inverse == nil)
        #expect(transform.matrix == [[transform.a, -transform.b, 3], [transform.b, transform.a, -8]])
    }

    @Test("coinciding, non-finite or mismatched points throw")
    func invalidPoints() {
        let same = [SIMD2<Double>](repeating: SIMD2(4, 4), count: 5)
        #expect(throws: AlignmentError.degenerateLandmarks(same)) {
            try SimilarityTransform.estimate(from: same, to: Self.templatePoints)
        }
        var withNaN = Self.templatePoints
        withNaN[2].x = .nan
        #expect(throws: AlignmentError.self) {
            try SimilarityTransform.estimate(from: withNaN, to: Self.templatePoints)
        }
        #expect(throws: AlignmentError.mismatchedPointCounts(source: 4, destination: 5)) {
            try SimilarityTransform.estimate(from: Array(Self.templatePoints.prefix(4)), to: Self.templatePoints)
        }
        #expect(throws: AlignmentError.wrongLandmarkCount(4)) {
            try FaceLandmarks(points: Array(Self.templatePoints.prefix(4)))
        }
    }
}
