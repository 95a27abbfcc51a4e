import Testing
@testable import Visage

@Suite("DlibFivePointAlignment")
struct DlibFivePointAlignmentTests {
    /// The template turned by 10°, doubled in size and moved, as a face in a larger image.
    static let points: [SIMD2<Double>] = {
        let face = SimilarityTransform(scale: 2, rotation: 10 * .pi / 180, translation: SIMD2(40, 25))
        return DlibFivePointAlignment.arcFace112.map(face.apply)
    }()

    @Test("the fit undoes a similarity exactly and scales with the crop")
    func transform() throws {
        for (size, scale) in [(112, 1.0), (224, 2.0)] {
            let fit = try DlibFivePointAlignment.transform(for: Self.points, size: size)
            for (point, target) in zip(Self.points, DlibFivePointAlignment.arcFace112) {
                #expect(abs(fit.apply(point).x - scale * target.x) < 1e-9)
                #expect(abs(fit.apply(point).y - scale * target.y) < 1e-9)
            }
        }
    }

    @Test("the implied ArcFace landmarks give the same crop as the direct fit")
    func impliedLandmarks() throws {
        let image = DataFixtures.gradient(width: 320, height: 300, channels: 3)
        let landmarks = try DlibFivePointAlignment.impliedLandmarks(for: Self.points)
        let direct = try DlibFivePointAlignment.align(image, points: Self.points)
        // The implied landmarks reproduce the fit up to float64 rounding, which may move a truncated sample by one.
        let (maximum, _) = DetectionFixtures.difference(try FaceAligner.align(image, landmarks: landmarks), direct)
        #expect(maximum <= 1)
        let eyes = try DlibFivePointAlignment.eyeCentres(Self.points)
        #expect(eyes.left.x < eyes.right.x)
        #expect(abs(landmarks.leftEye.x - eyes.left.x) < 4 && abs(landmarks.rightEye.x - eyes.right.x) < 4)
    }

    @Test("other than five points is refused")
    func errors() {
        #expect(throws: AlignmentError.self) { try DlibFivePointAlignment.transform(for: [SIMD2(0, 0)]) }
        #expect(throws: AlignmentError.self) { try DlibFivePointAlignment.eyeCentres([]) }
        #expect(throws: AlignmentError.self) { try DlibFivePointAlignment.transform(for: Self.points, size: 0) }
    }
}
