import Testing
@testable import Visage

private func largestDifference(_ a: Image, _ b: Image) -> Int {
    zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

@Suite("Landmark jitter")
struct LandmarkJitterTests {
    @Test func zeroDeviationIsTheIdentity() throws {
        var generator = SeededRandom(seed: 1)
        let jitter = try FaceAligner.jitterTransform(deviation: 0, size: 112, using: &generator)
        #expect(abs(jitter.a - 1) < 1e-9 && abs(jitter.b) < 1e-9)
        #expect(abs(jitter.tx) < 1e-9 && abs(jitter.ty) < 1e-9)
        let face = DataFixtures.gradient(width: 112, height: 112, channels: 3)
        #expect(largestDifference(try FaceAligner.misaligned(face, deviation: 0, using: &generator), face) <= 1)
    }

    @Test(arguments: [1.0, 4.0])
    func theTemplateMovesByAboutTheDeviation(deviation: Double) throws {
        let template = AlignmentTemplate.arcface112.landmarks.points
        var shifts: [Double] = []
        for seed in 0..<200 {
            var generator = SeededRandom(seed: UInt64(seed))
            let jitter = try FaceAligner.jitterTransform(deviation: deviation, size: 112, using: &generator)
            for point in template {
                let moved = jitter.apply(point) - point
                shifts.append((moved.x * moved.x + moved.y * moved.y).squareRoot())
            }
        }
        let mean = shifts.reduce(0, +) / Double(shifts.count)
        // Five noisy points fitted by four parameters: the fit moves each point by a fraction of the noise.
        #expect(mean > 0.3 * deviation && mean < 1.5 * deviation)
    }

    @Test func aNonzeroDeviationChangesTheFaceDeterministically() throws {
        let face = DataFixtures.gradient(width: 112, height: 112, channels: 3)
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5), c = SeededRandom(seed: 6)
        let first = try FaceAligner.misaligned(face, deviation: 3, using: &a)
        #expect(largestDifference(first, face) > 10)
        #expect(try FaceAligner.misaligned(face, deviation: 3, using: &b) == first)
        #expect(try FaceAligner.misaligned(face, deviation: 3, using: &c) != first)
    }

    @Test func alignmentFromRawLandmarksComposesTheJitter() throws {
        let raw = DataFixtures.gradient(width: 160, height: 180, channels: 3)
        let landmarks = AlignmentTemplate.arcface112.landmarks.scaled(by: 1.3)
        let exact = try FaceAligner.align(raw, landmarks: landmarks)
        var generator = SeededRandom(seed: 2)
        #expect(largestDifference(try FaceAligner.align(raw, landmarks: landmarks, jitter: 0, using: &generator),
                                  exact) <= 1)
        var a = SeededRandom(seed: 3), b = SeededRandom(seed: 3)
        let jittered = try FaceAligner.align(raw, landmarks: landmarks, jitter: 3, using: &a)
        #expect(largestDifference(jittered, exact) > 10)
        #expect(try FaceAligner.align(raw, landmarks: landmarks, jitter: 3, using: &b) == jittered)
    }

    @Test func degradationReusesTheJitterBeforeDownsampling() throws {
        let face = DataFixtures.gradient(width: 112, height: 112, channels: 3)
        let degradation = try Degradation(resolutions: [112], landmarkJitter: 2)
        var a = SeededRandom(seed: 8), b = SeededRandom(seed: 8)
        let degraded = try degradation.apply(to: face, using: &a)
        _ = b.next()  // the resolution draw
        #expect(degraded == (try FaceAligner.misaligned(face, deviation: 2, using: &b)))
        var c = SeededRandom(seed: 8)
        #expect(try Degradation(resolutions: [112]).apply(to: face, using: &c) == face)
    }

    @Test func invalidDeviationsThrow() {
        var generator = SeededRandom(seed: 0)
        #expect(throws: DataError.self) { try FaceAligner.jitterTransform(deviation: -1, size: 112, using: &generator) }
        #expect(throws: DataError.self) { try FaceAligner.jitterTransform(deviation: .nan, size: 112, using: &generator) }
        #expect(throws: DataError.self) { try Degradation(landmarkJitter: -0.5) }
        #expect(throws: DataError.self) { try Degradation(landmarkJitter: .infinity) }
    }
}
