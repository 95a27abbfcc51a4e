import Testing
@testable import Visage

@Suite("FaceAligner")
struct FaceAlignerTests {
    @Test("the identity warp copies every pixel", arguments: [1, 3, 4])
    func identity(channels: Int) throws {
        let image = DataFixtures.gradient(width: 40, height: 30, channels: channels)
        let warped = try FaceAligner.warp(image, by: .identity, width: 40, height: 30)
        #expect(warped == image)
    }

    @Test("an integer shift moves pixels and fills the uncovered border with 0")
    func shift() throws {
        let image = DataFixtures.gradient(width: 20, height: 10)
        let shift = SimilarityTransform(a: 1, b: 0, tx: 3, ty: -2)
        let warped = try FaceAligner.warp(image, by: shift, width: 20, height: 10)
        for y in 0..<10 {
            for x in 0..<20 {
                let (sx, sy) = (x - 3, y + 2)
                let expected = sx >= 0 && sy < 10 ? image[sx, sy, 0] : 0
                #expect(warped[x, y, 0] == expected, "pixel (\(x), \(y))")
            }
        }
    }

    @Test("bilinear values are truncated, as Pillow does, not rounded")
    func truncation() throws {
        let image = Image(width: 2, height: 1, channels: 1, pixels: [0, 255])
        // Shifting right by half a pixel puts output pixel 1's centre halfway between the two source pixels.
        let warped = try FaceAligner.warp(image, by: SimilarityTransform(a: 1, b: 0, tx: 0.5, ty: 0), width: 2, height: 1)
        #expect(warped.pixels == [0, 127])
    }

    @Test("within half a pixel of the edge the edge pixel is replicated")
    func edgeReplicates() throws {
        let image = DataFixtures.gradient(width: 8, height: 8)
        let doubled = try FaceAligner.warp(image, by: SimilarityTransform(a: 2, b: 0, tx: 0, ty: 0), width: 16, height: 16)
        // Output pixel 0's centre maps to source x = 0.25, left of pixel 0's centre: no black leaks in.
        #expect(doubled[0, 0, 0] == image[0, 0, 0])
        #expect(doubled[15, 15, 0] == image[7, 7, 0])
    }

    @Test("landmarks already on the template give the image back; scaled templates scale")
    func alignOnTemplate() throws {
        let image = DataFixtures.gradient(width: 112, height: 112, channels: 3)
        let template = AlignmentTemplate.arcface112
        #expect(try FaceAligner.align(image, landmarks: template.landmarks) == image)
        let big = try template.scaled(to: 224)
        #expect(big.size == 224)
        #expect(big.landmarks.leftEye == template.landmarks.leftEye * 2)
        let transform = try FaceAligner.transform(for: template.landmarks, size: 224)
        #expect(abs(transform.scale - 2) < 1e-12 && abs(transform.rotation) < 1e-12)
        let crop = try FaceAligner.align(image, landmarks: template.landmarks, size: 224)
        #expect(crop.width == 224 && crop.height == 224 && crop.channels == 3)
    }

    @Test("bad sizes and landmarks throw")
    func invalidInput() {
        let image = DataFixtures.gradient(width: 20, height: 20)
        let landmarks = AlignmentTemplate.arcface112.landmarks
        #expect(throws: AlignmentError.invalidSize(width: 0, height: 0)) {
            try FaceAligner.align(image, landmarks: landmarks, size: 0)
        }
        let collapsed = landmarks.scaled(by: 0)
        #expect(throws: AlignmentError.degenerateLandmarks(collapsed.points)) {
            try FaceAligner.align(image, landmarks: collapsed)
        }
        var infinite = landmarks
        infinite.noseTip.y = .infinity
        #expect(throws: AlignmentError.nonFiniteLandmarks(infinite.points)) {
            try FaceAligner.align(image, landmarks: infinite)
        }
        #expect(throws: AlignmentError.self) {
            try FaceAligner.warp(image, by: SimilarityTransform(a: 0, b: 0, tx: 0, ty: 0), width: 4, height: 4)
        }
    }
}
