import Foundation
import Testing
@testable import Visage

/// Encode-then-decode through every format, and `ImageCodec.write`'s file handling.
@Suite("Image round trips")
struct ImageRoundTripTests {
    /// Pixels from an integer hash: incompressible noise, so that a lossless codec has something to get wrong.
    static func noise(width: Int, height: Int, channels: Int) -> Image {
        let pixels = (0..<(width * height * channels)).map { index -> UInt8 in
            var h = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            return UInt8(truncatingIfNeeded: h ^ (h >> 32))
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Smooth gradients, which JPEG keeps close to the original.
    static func gradient(width: Int, height: Int, channels: Int) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    image[x, y, c] = UInt8(40 + x * 120 / max(width - 1, 1) + y * 60 / max(height - 1, 1) + c * 10)
                }
            }
        }
        return image
    }

    static func meanAbsoluteError(_ a: Image, _ b: Image) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("visage-imageio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("PNG is lossless", arguments: [1, 3, 4], [(1, 1), (7, 5), (112, 112), (300, 2)])
    func pngExact(channels: Int, size: (Int, Int)) throws {
        let image = Self.noise(width: size.0, height: size.1, channels: channels)
        let bytes = try ImageCodec.encodePNG(image)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try ImageCodec.decode(bytes) == image)
    }

    @Test("JPEG keeps geometry and stays close", arguments: [1, 3], [(112, 112), (9, 17)])
    func jpegClose(channels: Int, size: (Int, Int)) throws {
        let image = Self.gradient(width: size.0, height: size.1, channels: channels)
        let decoded = try ImageCodec.decode(ImageCodec.encodeJPEG(image, quality: 92))
        #expect(decoded.width == image.width)
        #expect(decoded.height == image.height)
        #expect(decoded.channels == channels)
        #expect(Self.meanAbsoluteError(decoded, image) < 2.5)
    }

    @Test("JPEG quality trades size for error")
    func jpegQuality() throws {
        let image = Self.noise(width: 64, height: 64, channels: 3)
        let low = try ImageCodec.encodeJPEG(image, quality: 10)
        let high = try ImageCodec.encodeJPEG(image, quality: 100)
        #expect(low.count < high.count)
        #expect(Self.meanAbsoluteError(try ImageCodec.decode(high), image)
                < Self.meanAbsoluteError(try ImageCodec.decode(low), image))
    }

    @Test("JPEG drops alpha")
    func jpegDropsAlpha() throws {
        let rgba = Self.gradient(width: 32, height: 24, channels: 4)
        let decoded = try ImageCodec.decode(ImageCodec.encodeJPEG(rgba))
        #expect(decoded.channels == 3)
        #expect(Self.meanAbsoluteError(decoded, rgba.converted(toChannels: 3)) < 2.5)
    }

    @Test("JPEG quality outside 1...100 throws", arguments: [0, -5, 101])
    func jpegQualityRange(quality: Int) {
        let error = #expect(throws: ImageError.self) {
            try ImageCodec.encodeJPEG(Self.noise(width: 4, height: 4, channels: 3), quality: quality)
        }
        #expect(error?.reason.contains("quality \(quality)") == true)
    }

    @Test("encoding an inconsistent image throws instead of reading past its pixels")
    func inconsistentImage() {
        var image = Self.noise(width: 8, height: 8, channels: 3)
        image.width = 1000
        #expect(throws: ImageError.self) { try ImageCodec.encodePNG(image) }
        #expect(throws: ImageError.self) { try ImageCodec.encodeJPEG(image) }
        image.width = 0
        image.pixels = []
        #expect(throws: ImageError.self) { try ImageCodec.encodePNG(image) }
        image = Self.noise(width: 8, height: 8, channels: 3)
        image.channels = 2
        #expect(throws: ImageError.self) { try ImageCodec.encodePNG(image) }
    }

    @Test("write picks the format by extension and reads back", arguments: ["png", "PNG", "jpg", "jpeg", "pgm", "ppm"])
    func writeByExtension(ext: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = Self.gradient(width: 20, height: 10, channels: 3)
        let url = folder.appendingPathComponent("face.\(ext)")
        try ImageCodec.write(image, to: url)
        let decoded = try ImageCodec.decode(contentsOf: url)
        switch ext.lowercased() {
        case "png", "ppm": #expect(decoded == image)
        case "pgm": #expect(decoded == image.converted(toChannels: 1))
        default: #expect(Self.meanAbsoluteError(decoded, image) < 2.5)
        }
        // Only the destination remains: the temporary file was renamed, not copied.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["face.\(ext)"])
    }

    @Test("write replaces an existing file")
    func writeReplaces() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("face.png")
        try ImageCodec.write(Self.noise(width: 5, height: 5, channels: 1), to: url)
        let second = Self.noise(width: 3, height: 2, channels: 4)
        try ImageCodec.write(second, to: url)
        #expect(try ImageCodec.decode(contentsOf: url) == second)
    }

    @Test("write refuses an unknown extension and a missing folder, naming the file")
    func writeErrors() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = Self.noise(width: 4, height: 4, channels: 3)
        for name in ["face.bmp", "face"] {
            let url = folder.appendingPathComponent(name)
            let error = #expect(throws: ImageError.self) { try ImageCodec.write(image, to: url) }
            #expect(error?.file == url.path)
            #expect(error?.reason.contains(".png") == true)
        }
        let missing = folder.appendingPathComponent("no/such/folder/face.png")
        let error = #expect(throws: ImageError.self) { try ImageCodec.write(image, to: missing) }
        #expect(error?.file == missing.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("decode(contentsOf:) names a missing file and a directory")
    func readErrors() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("absent.jpg")
        let error = #expect(throws: ImageError.self) { try ImageCodec.decode(contentsOf: missing) }
        #expect(error?.description.contains(missing.path) == true)
        #expect(error?.reason.contains("No such file") == true)
        let directory = #expect(throws: ImageError.self) { try ImageCodec.decode(contentsOf: folder) }
        #expect(directory?.reason.contains("directory") == true)
    }
}
