import Testing
@testable import Visage

/// A deliberately broken file, built in the test, and words its error must contain.
struct MalformedImage: Sendable, CustomTestStringConvertible {
    var label: String
    var reasonContains: String
    var make: @Sendable () throws -> [UInt8]

    var testDescription: String { label }
}

@Suite("Malformed images throw, naming the file")
struct MalformedImageTests {
    static func validJPEG() throws -> [UInt8] {
        try ImageCodec.encodeJPEG(ImageRoundTripTests.gradient(width: 48, height: 40, channels: 3))
    }

    static func validPNG() throws -> [UInt8] {
        try ImageCodec.encodePNG(ImageRoundTripTests.noise(width: 40, height: 30, channels: 3))
    }

    /// `bytes` with the first baseline SOF marker's height and width replaced.
    static func jpeg(_ bytes: [UInt8], declaring width: Int, _ height: Int) throws -> [UInt8] {
        var bytes = bytes
        let sof = try #require((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = UInt8(height >> 8)
        bytes[sof + 6] = UInt8(height & 0xFF)
        bytes[sof + 7] = UInt8(width >> 8)
        bytes[sof + 8] = UInt8(width & 0xFF)
        return bytes
    }

    /// A PNG signature and IHDR (with a correct CRC) declaring any size, followed by a little image data.
    static func png(declaring width: UInt32, _ height: UInt32) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + PNGFixture.chunk("IHDR", PNGFixture.ihdr(width: width, height: height, bitDepth: 8, colorType: 2,
                                                       interlaced: false))
            + PNGFixture.chunk("IDAT", PNGFixture.zlibStored([UInt8](repeating: 0, count: 100)))
            + PNGFixture.chunk("IEND", [])
    }

    static let corpus: [MalformedImage] = {
        var corpus: [MalformedImage] = [
            MalformedImage(label: "zero bytes", reasonContains: "empty") { [] },
            MalformedImage(label: "wrong magic", reasonContains: "not a JPEG, PNG, PGM or PPM") {
                Array("hello, this is not an image".utf8)
            },
            MalformedImage(label: "GIF", reasonContains: "GIF") { Array("GIF89a\u{1}\0\u{1}\0".utf8) },
            MalformedImage(label: "binary PBM", reasonContains: "PBM") { Array("P4\n1 1\n\0".utf8) },
            MalformedImage(label: "JPEG SOI only", reasonContains: "truncated") { [0xFF, 0xD8, 0xFF] },
            MalformedImage(label: "JPEG SOF declaring 65000×65000", reasonContains: "over the limit") {
                try jpeg(validJPEG(), declaring: 65000, 65000)
            },
            MalformedImage(label: "JPEG SOF declaring 0 height", reasonContains: "JPEG") {
                try jpeg(validJPEG(), declaring: 48, 0)
            },
            MalformedImage(label: "JPEG with garbage after the header", reasonContains: "JPEG") {
                var bytes = try validJPEG()
                for index in 20..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index * 131) }
                return bytes
            },
            MalformedImage(label: "PNG IHDR declaring 100000×100000", reasonContains: "over the limit") {
                png(declaring: 100_000, 100_000)
            },
            MalformedImage(label: "PNG IHDR declaring 10000×10000 in 200 bytes", reasonContains: "can hold") {
                png(declaring: 10000, 10000)
            },
            MalformedImage(label: "PNG IHDR declaring 0×10", reasonContains: "PNG") { png(declaring: 0, 10) },
            MalformedImage(label: "PNG with a bad IHDR CRC", reasonContains: "CRC") {
                var bytes = png(declaring: 10, 10)
                bytes[29] ^= 0xFF
                return bytes
            },
            MalformedImage(label: "PNG with corrupt image data", reasonContains: "cannot decode PNG") {
                var bytes = try validPNG()
                // Overwrite the zlib stream inside the first IDAT (header and CRCs stay intact at their places).
                let idat = try #require((8..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("IDAT".utf8) })
                for index in (idat + 4)..<(idat + 60) { bytes[index] = 0xFF }
                let length = Int(bytes[idat - 4]) << 24 | Int(bytes[idat - 3]) << 16 | Int(bytes[idat - 2]) << 8
                    | Int(bytes[idat - 1])
                let crc = PNGFixture.crc32(Array(bytes[idat..<(idat + 4 + length)]))
                bytes.replaceSubrange((idat + 4 + length)..<(idat + 8 + length), with: PNGFixture.bigEndian(crc))
                return bytes
            },
            MalformedImage(label: "PGM header declaring 100000 100000", reasonContains: "over the limit") {
                Array("P5\n100000 100000\n255\n".utf8) + [1, 2, 3]
            },
            MalformedImage(label: "PGM with truncated raster", reasonContains: "truncated") {
                Array("P5 10 10 255\n".utf8) + [UInt8](repeating: 7, count: 99)
            },
            MalformedImage(label: "16-bit PPM with truncated raster", reasonContains: "truncated") {
                Array("P6 2 2 65535\n".utf8) + [UInt8](repeating: 7, count: 23)
            },
            MalformedImage(label: "ASCII PGM with too few samples", reasonContains: "truncated") {
                Array("P2 3 3 255\n1 2 3 4 5 6 7 8".utf8)
            },
            MalformedImage(label: "ASCII PPM declaring more samples than bytes", reasonContains: "truncated") {
                Array("P3 1000 1000 255\n1 2 3\n".utf8)
            },
            MalformedImage(label: "PGM maxval 0", reasonContains: "maxval") { Array("P5 1 1 0\n\0".utf8) },
            MalformedImage(label: "PGM maxval 70000", reasonContains: "maxval") { Array("P5 1 1 70000\n\0\0".utf8) },
            MalformedImage(label: "PGM width with too many digits", reasonContains: "too large") {
                Array("P5 99999999999999999999999 1 255\n".utf8)
            },
            MalformedImage(label: "PGM with a letter for the height", reasonContains: "height") {
                Array("P5 4 x 255\n".utf8)
            },
            MalformedImage(label: "PGM header cut after the width", reasonContains: "truncated") { Array("P5 4".utf8) },
            MalformedImage(label: "PGM with no whitespace before the raster", reasonContains: "PGM") {
                Array("P5 1 1 255#\u{1}".utf8)
            },
        ]
        for length in [4, 20, 100, 400, 800] {
            corpus.append(MalformedImage(label: "JPEG truncated to \(length) bytes", reasonContains: "truncated") {
                Array(try validJPEG().prefix(length))
            })
        }
        for fraction in [0.5, 0.9] {
            corpus.append(MalformedImage(label: "JPEG truncated to \(Int(fraction * 100))%", reasonContains: "truncated") {
                let bytes = try validJPEG()
                return Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
            })
        }
        for length in [8, 12, 20, 33, 41, 100, 1000] {
            corpus.append(MalformedImage(label: "PNG truncated to \(length) bytes", reasonContains: "truncated") {
                Array(try validPNG().prefix(length))
            })
        }
        corpus.append(MalformedImage(label: "PNG missing the end of its image data", reasonContains: "truncated") {
            Array(try validPNG().dropLast(20))
        })
        return corpus
    }()

    @Test("throws an ImageError naming the file", arguments: corpus)
    func throwsNamingFile(_ malformed: MalformedImage) throws {
        let bytes = try malformed.make()
        let name = "broken/\(malformed.label).bin"
        let error = #expect(throws: ImageError.self) { try ImageCodec.decode(bytes, name: name) }
        #expect(error?.file == name)
        #expect(error?.description.hasPrefix(name) == true)
        #expect(error?.reason.contains(malformed.reasonContains) == true, "reason: \(error?.reason ?? "none")")
    }

    @Test("every proper prefix of a small valid file throws")
    func everyPrefix() throws {
        let files = [
            try ImageCodec.encodeJPEG(ImageRoundTripTests.gradient(width: 8, height: 8, channels: 1)),
            try ImageCodec.encodePNG(ImageRoundTripTests.noise(width: 6, height: 5, channels: 4)),
            Array("P6 2 2 255\n".utf8) + [UInt8](repeating: 9, count: 12),
        ]
        for file in files {
            #expect(try ImageCodec.decode(file).width > 0)
            for length in 0..<file.count {
                #expect(throws: ImageError.self, "\(length) of \(file.count) bytes") {
                    try ImageCodec.decode(Array(file.prefix(length)), name: "prefix")
                }
            }
        }
    }
}
