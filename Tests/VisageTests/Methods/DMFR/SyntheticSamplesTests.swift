import Foundation
import Testing
@testable import Visage

/// DMFR's synthetic samples: the re-posing warp and the zero-change copies of both domains.
@Suite struct SyntheticSamplesTests {
    /// The ArcFace template's landmarks, where an aligned face has them.
    static let landmarks = AlignmentTemplate.arcface112.landmarks

    /// A dark 112×112 image with a bright Gaussian spot centred on each landmark.
    static func spots(at landmarks: FaceLandmarks) -> Image {
        var image = Image(width: 112, height: 112, channels: 1)
        for y in 0..<112 {
            for x in 0..<112 {
                let p = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
                let value = landmarks.points.map { exp(-(($0 - p) * ($0 - p)).sum() / (2 * 1.5 * 1.5)) }.max()!
                image.pixels[y * 112 + x] = UInt8((250 * value).rounded())
            }
        }
        return image
    }

    /// The intensity-weighted centroid of the bright pixels within 6 px of `point`.
    static func centroid(in image: Image, near point: SIMD2<Double>) -> SIMD2<Double> {
        var sum = SIMD2<Double>.zero, total = 0.0
        for y in max(0, Int(point.y) - 6)...min(111, Int(point.y) + 6) {
            for x in max(0, Int(point.x) - 6)...min(111, Int(point.x) + 6) {
                let value = Double(image.pixels[y * 112 + x])
                guard value > 40 else { continue }
                sum += value * SIMD2(Double(x) + 0.5, Double(y) + 0.5)
                total += value
            }
        }
        return sum / max(total, 1)
    }

    static func distance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

    @Test func reposingMovesTheLandmarksToTheRotatedMeanFace() throws {
        let image = Self.spots(at: Self.landmarks)
        let reposing = try FaceReposing(yawDegrees: 30)
        let targets = reposing.targetLandmarks(for: Self.landmarks)
        // The rotation itself: eyes closer together about their midpoint, nose shifted by 0.55·IOD·sin 30°.
        let interocular = Self.distance(Self.landmarks.leftEye, Self.landmarks.rightEye)
        #expect(abs((targets.rightEye.x - targets.leftEye.x)
            - (Self.landmarks.rightEye.x - Self.landmarks.leftEye.x) * cos(.pi / 6)) < 1e-9)
        let centre = (Self.landmarks.leftEye.x + Self.landmarks.rightEye.x) / 2
        #expect(abs(targets.noseTip.x - (centre + (Self.landmarks.noseTip.x - centre) * cos(.pi / 6)
            + 0.55 * interocular * 0.5)) < 1e-9)
        #expect(targets.noseTip.y == Self.landmarks.noseTip.y)
        #expect(Self.distance(targets.noseTip, Self.landmarks.noseTip) > 8)
        // The warp puts the spots where the targets are.
        let warped = try reposing.apply(to: image, landmarks: Self.landmarks)
        #expect(warped.width == 112 && warped.height == 112)
        for (source, target) in zip(Self.landmarks.points, targets.points) {
            #expect(Self.distance(Self.centroid(in: warped, near: target), target) < 1)
        }
    }

    @Test func zeroChangeCopiesKeepTheLandmarksAndResolution() throws {
        let image = Self.spots(at: Self.landmarks)
        let sampler = try SyntheticSampler()
        for domain in SyntheticDomain.allCases {
            var generator = SeededRandom(seed: 7)
            let copy = try sampler.sample(domain, of: image, landmarks: Self.landmarks, zeroChange: true, using: &generator)
            #expect(copy.width == image.width && copy.height == image.height && copy.channels == image.channels)
            for point in Self.landmarks.points {
                #expect(Self.distance(Self.centroid(in: copy, near: point), point) < 1, "\(domain)")
            }
            #expect(copy == image, "the zero-change \(domain) copy is the input")
        }
    }

    @Test func changedCopiesDiffer() throws {
        let image = Self.spots(at: Self.landmarks)
        let sampler = try SyntheticSampler()
        var generator = SeededRandom(seed: 3)
        let pose = try sampler.sample(.pose, of: image, landmarks: Self.landmarks, using: &generator)
        let quality = try sampler.sample(.quality, of: image, landmarks: Self.landmarks, using: &generator)
        #expect(pose != image && quality != image)
        #expect(quality.width == 112)
    }

    @Test func badSettingsAreRefused() {
        #expect(throws: DataError.self) { try FaceReposing(yawDegrees: 75) }
        #expect(throws: DataError.self) { try SyntheticSampler(yaw: 10...80) }
        #expect(throws: DataError.self) {
            try ThinPlateSpline(from: [[0, 0], [1, 1], [2, 2]], to: [[0, 0], [1, 1], [2, 2]])
        }
    }
}
