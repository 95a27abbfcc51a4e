import Foundation
import Testing
@testable import Visage

/// Landmarks from dlib's `shape_predictor_5_face_landmarks.dat` run natively against dlib's own (recorded by
/// `scripts/fixtures/shape_chip_fixture.py`): they must be identical.
@Suite("ShapePredictor vs dlib", .enabled(if: DetectionFixtures.shapePredictorURL != nil))
struct ShapePredictorDlibTests {
    static let predictor: ShapePredictor? = DetectionFixtures.shapePredictorURL.flatMap { try? .load(from: $0) }

    @Test("the 5-point model has dlib's structure")
    func structure() throws {
        let predictor = try #require(Self.predictor)
        #expect(predictor.partCount == 5 && predictor.cascadeCount == 15 && predictor.treeCount == 15 * 500)
    }

    @Test("synthetic images: dlib's landmarks exactly")
    func synthetic() throws {
        let predictor = try #require(Self.predictor)
        for reference in try DetectionFixtures.reference().cases where reference.isSynthetic {
            let image = try DetectionFixtures.image(for: reference)
            #expect(DetectionFixtures.checksum(image) == reference.pixels, "\(reference.image) pattern")
            #expect(predictor.predict(image, box: reference.faceBox) == reference.dlibPoints, "\(reference.image)")
        }
    }

    @Test("real photos: dlib's landmarks exactly", .enabled(if: DetectionFixtures.hasSharedData))
    func photos() throws {
        let predictor = try #require(Self.predictor)
        var largest = 0.0, faces = 0, seconds = 0.0
        for reference in try DetectionFixtures.reference().cases where !reference.isSynthetic {
            let image = try DetectionFixtures.image(for: reference)
            try #require(DetectionFixtures.checksum(image) == reference.pixels,
                         "\(reference.image) decodes differently from Pillow; landmarks cannot be compared")
            let start = Date()
            let points = predictor.predict(image, box: reference.faceBox)
            seconds += Date().timeIntervalSince(start)
            faces += 1
            for (point, expected) in zip(points, reference.dlibPoints) {
                largest = max(largest, abs(point.x - expected.x), abs(point.y - expected.y))
            }
            #expect(points == reference.dlibPoints, "\(reference.image) box \(reference.box)")
        }
        print("shape predictor: \(faces) faces, largest landmark difference \(largest) px, "
              + String(format: "%.3f ms per face", 1000 * seconds / Double(max(faces, 1))))
    }
}
