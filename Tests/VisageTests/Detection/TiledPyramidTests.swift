import Testing
@testable import Visage

@Suite("TiledPyramid")
struct TiledPyramidTests {
    @Test("level sizes follow dlib's pyramid_down<6> (numbers from dlib)",
          .enabled(if: (try? MMODReference.load()) != nil))
    func levelSizes() throws {
        let reference = try MMODReference.load()
        #expect(reference.pyramid_levels.count == 5)
        for sizes in reference.pyramid_levels {
            let computed = TiledPyramid.levelSizes(width: sizes[0][1], height: sizes[0][0])
            #expect(computed.map { [$0.height, $0.width] } == sizes)
        }
    }

    @Test("a 250×250 image: levels placed down the left, then up the right, inside the padding")
    func layout() {
        let pyramid = TiledPyramid(imageWidth: 250, imageHeight: 250)
        // ⌊5/6⌋ chain: 250, 208, 173, 144, 120, 100, 83, 69, 57, 47, 39, 32, 26, 21, 17, 14, 11, 9, 7, 5.
        #expect(pyramid.levels.first == .init(left: 11, top: 11, width: 250, height: 250))
        #expect(pyramid.levels[1] == .init(left: 11, top: 271, width: 208, height: 208))
        #expect(pyramid.width == 272)
        for (index, level) in pyramid.levels.enumerated() {
            #expect(level.left >= 11 && level.top >= 11)
            #expect(level.right < pyramid.width - 11 && level.bottom < pyramid.height - 11)
            for other in pyramid.levels[..<index] { #expect(!level.intersects(other)) }
        }
        #expect(TiledPyramid(imageWidth: 0, imageHeight: 10).levels.isEmpty)
    }

    @Test("a box in a level maps back through (p − level origin) · 6/5 + 0.3 per level")
    func mapping() {
        let pyramid = TiledPyramid(imageWidth: 250, imageHeight: 250)
        let level0 = pyramid.imageBox(left: 21, top: 31, right: 60, bottom: 70)
        #expect(level0 == (10, 20, 49, 59))
        let origin = pyramid.levels[1]
        let level1 = pyramid.imageBox(left: Double(origin.left) + 10, top: Double(origin.top) + 20,
                                      right: Double(origin.left) + 49, bottom: Double(origin.top) + 59)
        #expect(abs(level1.left - 12.3) < 1e-9 && abs(level1.top - 24.3) < 1e-9)
        #expect(abs(level1.right - 59.1) < 1e-9 && abs(level1.bottom - 71.1) < 1e-9)
    }

    @Test("dlib's bilinear RGB resize for pyramid_up, byte for byte (numbers from dlib)",
          .enabled(if: (try? MMODReference.load()) != nil))
    func upsampleResize() throws {
        let reference = try MMODReference.load().upsample
        let (rows, columns) = (reference.input_shape[0], reference.input_shape[1])
        let image = Image(width: columns, height: rows, channels: 3, pixels: reference.input)
        let size = MMODFaceDetector.upsampledSize(width: columns, height: rows)
        #expect([size.height, size.width, 3] == reference.output_shape)
        let resized = DlibBilinearResize.resizeRGB(image, width: size.width, height: size.height)
        let differing = zip(resized.pixels, reference.output).filter { $0 != $1 }.count
        #expect(differing == 0)
    }
}
