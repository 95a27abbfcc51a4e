// Plain Swift with no imports: the fuzz harness (Fuzz/) compiles this file too, to build its seed corpus.

/// A PNG file built by hand, independent of libpng: any colour type and bit depth, optional Adam7 interlacing,
/// palette and tRNS chunks, image data in stored (uncompressed) deflate blocks.
struct PNGFixture {
    /// PNG colour types.
    enum ColorType: UInt8, CaseIterable, Sendable {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        /// Samples per pixel as stored.
        var samplesPerPixel: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    var width: Int
    var height: Int
    var bitDepth: Int
    var colorType: ColorType
    var interlaced = false
    /// Row-major, `samplesPerPixel` values per pixel, each in `0..<(1 << bitDepth)` (palette: an index).
    var samples: [Int]
    /// PLTE entries (RGB), for `.palette`.
    var palette: [(UInt8, UInt8, UInt8)] = []
    /// The raw tRNS chunk body, if any: alpha per palette entry, or the transparent gray / RGB sample (16-bit each).
    var transparency: [UInt8]?

    /// The complete file.
    var bytes: [UInt8] {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += Self.chunk("IHDR", Self.ihdr(width: UInt32(width), height: UInt32(height), bitDepth: UInt8(bitDepth),
                                             colorType: colorType.rawValue, interlaced: interlaced))
        if colorType == .palette {
            file += Self.chunk("PLTE", palette.flatMap { [$0.0, $0.1, $0.2] })
        }
        if let transparency { file += Self.chunk("tRNS", transparency) }
        file += Self.chunk("IDAT", Self.zlibStored(scanlines()))
        file += Self.chunk("IEND", [])
        return file
    }

    /// Filter-type-0 scanlines of the whole image, or of each non-empty Adam7 pass in turn.
    func scanlines() -> [UInt8] {
        let passes: [(x: Int, y: Int, dx: Int, dy: Int)] = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var data: [UInt8] = []
        for pass in passes {
            let columns = Array(stride(from: pass.x, to: width, by: pass.dx))
            let rows = Array(stride(from: pass.y, to: height, by: pass.dy))
            if columns.isEmpty || rows.isEmpty { continue }
            for y in rows {
                data.append(0)
                var bits: [Int] = []
                for x in columns {
                    for s in 0..<colorType.samplesPerPixel {
                        bits.append(samples[(y * width + x) * colorType.samplesPerPixel + s])
                    }
                }
                data += Self.pack(bits, bitDepth: bitDepth)
            }
        }
        return data
    }

    /// Samples packed big-endian at `bitDepth` bits each, the last byte padded with zero bits.
    static func pack(_ values: [Int], bitDepth: Int) -> [UInt8] {
        if bitDepth == 16 { return values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        if bitDepth == 8 { return values.map { UInt8($0) } }
        var bytes: [UInt8] = []
        var current = 0, used = 0
        for value in values {
            current = current << bitDepth | value
            used += bitDepth
            if used == 8 {
                bytes.append(UInt8(current))
                current = 0
                used = 0
            }
        }
        if used > 0 { bytes.append(UInt8(current << (8 - used))) }
        return bytes
    }

    /// An IHDR chunk body (callers may declare any size, however absurd).
    static func ihdr(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool) -> [UInt8] {
        bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0]
    }

    /// A chunk: length, type, body, CRC-32 of type and body.
    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
    }

    /// A zlib stream of stored deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            stream += [final, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            stream += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        return stream + bigEndian(adler32(data))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
