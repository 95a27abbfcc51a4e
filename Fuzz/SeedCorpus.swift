/// Small valid images in every layout the decoders handle, for libFuzzer to start from.
enum SeedCorpus {
    /// File name and bytes of each seed.
    static func files() throws -> [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        for (channels, size) in [(1, 8), (3, 16), (4, 13)] {
            let image = pattern(width: size, height: size - 3, channels: channels)
            seeds.append(("encoded-\(channels)ch.png", try ImageCodec.encodePNG(image)))
            seeds.append(("encoded-\(channels)ch-q50.jpg", try ImageCodec.encodeJPEG(image, quality: 50)))
            seeds.append(("encoded-\(channels)ch-q95.jpg", try ImageCodec.encodeJPEG(image, quality: 95)))
        }
        // Layouts the encoder never writes, built by hand.
        let layouts: [(String, PNGFixture.ColorType, Int, Bool, Bool)] = [
            ("gray1", .gray, 1, false, false), ("gray4-interlaced", .gray, 4, true, false),
            ("gray16-trns", .gray, 16, false, true), ("grayalpha8", .grayAlpha, 8, false, false),
            ("rgb16-interlaced", .rgb, 16, true, false), ("rgb8-trns", .rgb, 8, false, true),
            ("rgba16", .rgba, 16, false, false), ("palette2", .palette, 2, false, false),
            ("palette8-trns-interlaced", .palette, 8, true, true),
        ]
        for (name, colorType, bitDepth, interlaced, transparency) in layouts {
            let width = 9, height = 7
            let count = width * height * colorType.samplesPerPixel
            let top = colorType == .palette ? min(1 << bitDepth, 16) : 1 << bitDepth
            var fixture = PNGFixture(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                                     interlaced: interlaced, samples: (0..<count).map { $0 * 37 % top })
            if colorType == .palette {
                fixture.palette = (0..<top).map { (index: Int) -> (UInt8, UInt8, UInt8) in
                    let level = UInt8(index * 15)
                    return (level, 255 - level, UInt8(index * 7))
                }
            }
            if transparency {
                fixture.transparency = colorType == .palette
                    ? (0..<(top / 2)).map { UInt8($0 * 30) }
                    : PNGFixture.pack(Array(fixture.samples[0..<colorType.samplesPerPixel]), bitDepth: 16)
            }
            seeds.append(("fixture-\(name).png", fixture.bytes))
        }
        let gray = pattern(width: 5, height: 4, channels: 1).pixels
        let rgb = pattern(width: 3, height: 2, channels: 3).pixels
        seeds.append(("p5-8bit.pgm", Array("P5\n5 4\n255\n".utf8) + gray))
        seeds.append(("p5-16bit.pgm", Array("P5 # comment\n5 4\n65535\n".utf8) + gray.flatMap { [$0, $0 &* 3] }))
        seeds.append(("p6-maxval15.ppm", Array("P6 3 2 15\n".utf8) + rgb.map { $0 % 16 }))
        seeds.append(("p2.pgm", Array(("P2 5 4 255\n" + gray.map(String.init).joined(separator: " ")).utf8)))
        seeds.append(("p3.ppm", Array(("P3 3 2 255\n" + rgb.map(String.init).joined(separator: "\n")).utf8)))
        return seeds
    }

    /// Gradients with a little texture, so that JPEG seeds carry non-zero AC coefficients.
    static func pattern(width: Int, height: Int, channels: Int) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    image[x, y, c] = UInt8((x * 17 + y * 29 + c * 61 + (x * y) % 7 * 20) % 256)
                }
            }
        }
        return image
    }
}
