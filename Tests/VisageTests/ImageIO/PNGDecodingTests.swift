import Testing
@testable import Visage

/// One PNG layout to decode: a colour type and bit depth, with or without interlacing and tRNS transparency.
struct PNGCase: CustomTestStringConvertible, Sendable {
    var colorType: PNGFixture.ColorType
    var bitDepth: Int
    var interlaced = false
    var transparency = false
    var width = 13
    var height = 11

    var testDescription: String {
        "\(colorType) \(bitDepth)-bit\(interlaced ? " interlaced" : "")\(transparency ? " tRNS" : "") "
            + "\(width)×\(height)"
    }

    /// The file, with samples from a fixed pseudo-random sequence.
    var fixture: PNGFixture {
        var random = SeededRandom(seed: UInt64(colorType.rawValue) << 8 | UInt64(bitDepth))
        let paletteSize = min(1 << bitDepth, 200)
        let count = width * height * colorType.samplesPerPixel
        let samples = (0..<count).map { _ -> Int in
            if colorType == .palette { return Int(random.next() % UInt64(paletteSize)) }
            if bitDepth == 16 {
                // 257k + r with r < 128 scales to exactly k, so the expected 8-bit value has no rounding tie.
                let k = Int(random.next() % 256)
                return min(k * 257 + Int(random.next() % 128), 65535)
            }
            return Int(random.next() % UInt64(1 << bitDepth))
        }
        var fixture = PNGFixture(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                                 interlaced: interlaced, samples: samples)
        if colorType == .palette {
            fixture.palette = (0..<paletteSize).map { _ in
                (UInt8(random.next() % 256), UInt8(random.next() % 256), UInt8(random.next() % 256))
            }
        }
        if transparency {
            switch colorType {
            case .palette: fixture.transparency = (0..<(paletteSize / 2)).map { _ in UInt8(random.next() % 256) }
            case .gray: fixture.transparency = PNGFixture.pack([samples[0]], bitDepth: 16)
            case .rgb: fixture.transparency = PNGFixture.pack(Array(samples[0..<3]), bitDepth: 16)
            default: break
            }
        }
        return fixture
    }

    /// What the decoder must produce: 8-bit samples; gray stays gray, colour is RGB, transparency gives RGBA.
    func expected(_ fixture: PNGFixture) -> (channels: Int, pixels: [UInt8]) {
        func scaled(_ value: Int) -> UInt8 {
            switch bitDepth {
            case 16: UInt8(value / 257)
            case 8: UInt8(value)
            default: UInt8(value * 255 / ((1 << bitDepth) - 1))
            }
        }
        let stored = colorType.samplesPerPixel
        var pixels: [UInt8] = []
        var channels = 0
        for index in 0..<(width * height) {
            let raw = Array(fixture.samples[(index * stored)..<((index + 1) * stored)])
            switch colorType {
            case .gray where transparency:
                let alpha: UInt8 = raw == [fixture.samples[0]] ? 0 : 255
                pixels += [scaled(raw[0]), scaled(raw[0]), scaled(raw[0]), alpha]
                channels = 4
            case .gray:
                pixels.append(scaled(raw[0]))
                channels = 1
            case .rgb where transparency:
                let alpha: UInt8 = raw == Array(fixture.samples[0..<3]) ? 0 : 255
                pixels += raw.map(scaled) + [alpha]
                channels = 4
            case .rgb:
                pixels += raw.map(scaled)
                channels = 3
            case .palette:
                let entry = fixture.palette[raw[0]]
                pixels += [entry.0, entry.1, entry.2]
                channels = 3
                if let alphas = fixture.transparency {
                    pixels.append(raw[0] < alphas.count ? alphas[raw[0]] : 255)
                    channels = 4
                }
            case .grayAlpha:
                pixels += [scaled(raw[0]), scaled(raw[0]), scaled(raw[0]), scaled(raw[1])]
                channels = 4
            case .rgba:
                pixels += raw.map(scaled)
                channels = 4
            }
        }
        return (channels, pixels)
    }
}

@Suite("PNG decoding")
struct PNGDecodingTests {
    static let cases: [PNGCase] = [
        PNGCase(colorType: .gray, bitDepth: 1),
        PNGCase(colorType: .gray, bitDepth: 2),
        PNGCase(colorType: .gray, bitDepth: 4),
        PNGCase(colorType: .gray, bitDepth: 8),
        PNGCase(colorType: .gray, bitDepth: 16),
        PNGCase(colorType: .gray, bitDepth: 2, interlaced: true),
        PNGCase(colorType: .gray, bitDepth: 8, interlaced: true),
        PNGCase(colorType: .gray, bitDepth: 8, transparency: true),
        PNGCase(colorType: .gray, bitDepth: 16, transparency: true),
        PNGCase(colorType: .grayAlpha, bitDepth: 8),
        PNGCase(colorType: .grayAlpha, bitDepth: 16),
        PNGCase(colorType: .grayAlpha, bitDepth: 8, interlaced: true),
        PNGCase(colorType: .rgb, bitDepth: 8),
        PNGCase(colorType: .rgb, bitDepth: 16),
        PNGCase(colorType: .rgb, bitDepth: 8, interlaced: true),
        PNGCase(colorType: .rgb, bitDepth: 8, transparency: true),
        PNGCase(colorType: .rgba, bitDepth: 8),
        PNGCase(colorType: .rgba, bitDepth: 16),
        PNGCase(colorType: .rgba, bitDepth: 16, interlaced: true),
        PNGCase(colorType: .palette, bitDepth: 1),
        PNGCase(colorType: .palette, bitDepth: 2),
        PNGCase(colorType: .palette, bitDepth: 4),
        PNGCase(colorType: .palette, bitDepth: 8),
        PNGCase(colorType: .palette, bitDepth: 8, transparency: true),
        PNGCase(colorType: .palette, bitDepth: 4, interlaced: true, transparency: true),
        PNGCase(colorType: .gray, bitDepth: 8, interlaced: true, width: 1, height: 1),
        PNGCase(colorType: .rgb, bitDepth: 8, interlaced: true, width: 3, height: 2),
        PNGCase(colorType: .gray, bitDepth: 1, width: 17, height: 1),
    ]

    @Test("decodes to 8-bit gray, RGB or RGBA", arguments: cases)
    func decodes(_ layout: PNGCase) throws {
        let fixture = layout.fixture
        let image = try ImageCodec.decode(fixture.bytes, name: "fixture.png")
        let expected = layout.expected(fixture)
        #expect(image.width == layout.width)
        #expect(image.height == layout.height)
        #expect(image.channels == expected.channels)
        #expect(image.pixels == expected.pixels)
    }
}
