import Foundation
import Testing
@testable import Visage

@Suite("CMYK JPEG decoding")
struct CMYKDecodingTests {
    static let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Photos")

    @Test("A CMYK JPEG (Adobe-inverted, as Pillow writes it) decodes to the RGB it was made from")
    func cmykToRGB() throws {
        let decoded = try ImageCodec.decode(contentsOf: Self.photos.appendingPathComponent("cmyk.jpg"))
        let source = try ImageCodec.decode(contentsOf: Self.photos.appendingPathComponent("cmyk-source.png"))
        #expect(decoded.channels == 3 && decoded.width == source.width && decoded.height == source.height)
        let differences = zip(decoded.pixels, source.pixels).map { abs(Int($0) - Int($1)) }
        // Quality-95 JPEG of a smooth gradient: Pillow reads it back with a mean error of 0.
        #expect(Double(differences.reduce(0, +)) / Double(differences.count) < 1.5)
        #expect(differences.max()! <= 8)
    }
}
