import Testing
@testable import Visage

@Suite("PGM and PPM decoding")
struct NetpbmDecodingTests {
    static func bytes(_ header: String, _ raster: [UInt8] = []) -> [UInt8] {
        Array(header.utf8) + raster
    }

    @Test("binary PGM, 8-bit")
    func binaryGray() throws {
        let image = try ImageCodec.decode(Self.bytes("P5\n3 2\n255\n", [0, 1, 2, 253, 254, 255]))
        #expect(image == Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 253, 254, 255]))
    }

    @Test("binary PPM with comments and odd whitespace in the header, trailing bytes ignored")
    func binaryColourWithComments() throws {
        let raster: [UInt8] = [10, 20, 30, 40, 50, 60]
        let image = try ImageCodec.decode(Self.bytes("P6 # made by hand\n2\t# width\n1\r\n255\n", raster + [9, 9]))
        #expect(image == Image(width: 2, height: 1, channels: 3, pixels: raster))
    }

    @Test("a maxval below 255 is scaled to the full range")
    func smallMaxval() throws {
        let image = try ImageCodec.decode(Self.bytes("P5 4 1 15\n", [0, 1, 15, 200]))
        // 200 is above maxval and reads as maxval.
        #expect(image.pixels == [0, 17, 255, 255])
    }

    @Test("16-bit samples are big-endian and scaled", arguments: [65535, 1000])
    func sixteenBit(maxval: Int) throws {
        let samples = [0, maxval / 2, maxval]
        let raster = samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let image = try ImageCodec.decode(Self.bytes("P5 3 1 \(maxval)\n", raster))
        #expect(image.pixels == samples.map { UInt8(($0 * 255 + maxval / 2) / maxval) })
    }

    @Test("16-bit PPM")
    func sixteenBitColour() throws {
        let raster: [UInt8] = [0xFF, 0xFF, 0x00, 0x00, 0x80, 0x80]
        let image = try ImageCodec.decode(Self.bytes("P6 1 1 65535\n", raster))
        #expect(image == Image(width: 1, height: 1, channels: 3, pixels: [255, 0, 128]))
    }

    @Test("ASCII PGM and PPM")
    func ascii() throws {
        let gray = try ImageCodec.decode(Self.bytes("P2\n# comment\n2 2\n100\n0 50\n100 25\n"))
        #expect(gray == Image(width: 2, height: 2, channels: 1, pixels: [0, 128, 255, 64]))
        let colour = try ImageCodec.decode(Self.bytes("P3 1 2 255 1 2 3\n4 5 6"))
        #expect(colour == Image(width: 1, height: 2, channels: 3, pixels: [1, 2, 3, 4, 5, 6]))
    }

    @Test("round trip through the encoder", arguments: [1, 3])
    func roundTrip(channels: Int) throws {
        let image = ImageRoundTripTests.noise(width: 9, height: 4, channels: channels)
        let bytes = try NetpbmCodec.encode(image, as: channels == 1 ? .pgm : .ppm, name: "<memory>")
        #expect(try ImageCodec.decode(bytes) == image)
    }
}
