/// Netpbm gray maps (PGM) and pixel maps (PPM): binary P5/P6 with 8- or 16-bit samples, and ASCII P2/P3.
///
/// Samples are scaled from `0...maxval` to `0...255`; a sample above `maxval` reads as `maxval`. Bytes after the
/// first image are ignored.
enum NetpbmCodec {
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> Image {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
              let variant = [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6")]
                .first(where: { $0 == bytes[1] })
        else { throw ImageError(file: name, reason: "not a PGM or PPM file") }
        let format = "\(variant == UInt8(ascii: "2") || variant == UInt8(ascii: "5") ? "PGM" : "PPM") "
            + "(P\(Character(Unicode.Scalar(variant))))"
        let channels = variant == UInt8(ascii: "2") || variant == UInt8(ascii: "5") ? 1 : 3
        let binary = variant == UInt8(ascii: "5") || variant == UInt8(ascii: "6")

        var reader = Reader(bytes: bytes, position: 2, name: name, format: format)
        let width = try reader.headerNumber("width")
        let height = try reader.headerNumber("height")
        let maxval = try reader.headerNumber("maxval")
        guard (1...65535).contains(maxval) else {
            throw ImageError(file: name, reason: "\(format) maxval \(maxval) is outside 1...65535")
        }
        let count = try ImageCodec.checkedByteCount(width: width, height: height, channels: channels,
                                                    format: format, name: name)
        let pixels = binary
            ? try reader.binarySamples(count: count, maxval: maxval)
            : try reader.asciiSamples(count: count, maxval: maxval)
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A binary PGM (1 channel) or PPM (3 channels; alpha is dropped, gray replicated) of `image`.
    static func encode(_ image: Image, as format: ImageFormat, name: String) throws -> [UInt8] {
        let channels = format == .pgm ? 1 : 3
        try ImageCodec.checkEncodable(image, maxDimension: Int(Int32.max), format: format == .pgm ? "PGM" : "PPM",
                                      name: name)
        let converted = image.converted(toChannels: channels)
        var bytes = Array("P\(channels == 1 ? 5 : 6)\n\(image.width) \(image.height)\n255\n".utf8)
        bytes.append(contentsOf: converted.pixels)
        return bytes
    }

    /// A cursor over the file that reads header numbers and the raster after them.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let name: String
        let format: String

        /// Skips whitespace and `#` comments (which run to the end of the line).
        mutating func skipSeparators() {
            while position < bytes.count {
                let byte = bytes[position]
                if NetpbmCodec.isWhitespace(byte) {
                    position += 1
                } else if byte == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                } else {
                    return
                }
            }
        }

        /// A decimal number after separators, stopping at the first non-digit; at most 2^31 - 1.
        mutating func number(_ what: @autoclosure () -> String) throws -> Int {
            skipSeparators()
            guard position < bytes.count else {
                throw ImageError(file: name, reason: "\(format) is truncated: missing \(what())")
            }
            var value = 0
            var digits = 0
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - 0x30)
                guard value <= Int(Int32.max) else {
                    throw ImageError(file: name, reason: "\(format) \(what()) is too large")
                }
                position += 1
                digits += 1
            }
            guard digits > 0 else {
                throw ImageError(file: name, reason: "\(format) has byte 0x\(String(bytes[position], radix: 16)) "
                                 + "where the \(what()) should be")
            }
            return value
        }

        /// A header field, which must be followed by whitespace or a comment.
        mutating func headerNumber(_ what: String) throws -> Int {
            let value = try number(what)
            guard position < bytes.count, NetpbmCodec.isWhitespace(bytes[position]) || bytes[position] == 0x23 else {
                throw ImageError(file: name, reason: position < bytes.count
                                 ? "\(format) \(what) is not followed by whitespace"
                                 : "\(format) is truncated after the \(what)")
            }
            return value
        }

        /// The raster after the single whitespace byte that ends the header: 1 byte per sample, or 2 (big-endian)
        /// when maxval is over 255.
        mutating func binarySamples(count: Int, maxval: Int) throws -> [UInt8] {
            guard position < bytes.count, NetpbmCodec.isWhitespace(bytes[position]) else {
                throw ImageError(file: name, reason: "\(format) header does not end in whitespace")
            }
            position += 1
            let bytesPerSample = maxval > 255 ? 2 : 1
            let needed = count * bytesPerSample
            let available = bytes.count - position
            guard available >= needed else {
                throw ImageError(file: name, reason: "\(format) is truncated: pixel data has \(available) of "
                                 + "\(needed) bytes")
            }
            let raster = UnsafeBufferPointer(rebasing: bytes[position..<(position + needed)])
            position += needed
            return [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
                if bytesPerSample == 1, maxval == 255 {
                    UnsafeMutableRawBufferPointer(output).copyMemory(from: UnsafeRawBufferPointer(raster))
                } else if bytesPerSample == 1 {
                    let table = (0...255).map { UInt8((min($0, maxval) * 255 + maxval / 2) / maxval) }
                    for index in 0..<count { output[index] = table[Int(raster[index])] }
                } else {
                    for index in 0..<count {
                        let sample = min(Int(raster[2 * index]) << 8 | Int(raster[2 * index + 1]), maxval)
                        output[index] = UInt8((sample * 255 + maxval / 2) / maxval)
                    }
                }
                initialized = count
            }
        }

        /// `count` decimal samples separated by whitespace.
        mutating func asciiSamples(count: Int, maxval: Int) throws -> [UInt8] {
            // Each sample takes at least two bytes (a separator and a digit): refuse before allocating.
            guard (bytes.count - position) / 2 >= count else {
                throw ImageError(file: name, reason: "\(format) is truncated: too few bytes for \(count) samples")
            }
            var pixels = [UInt8](repeating: 0, count: count)
            for index in 0..<count {
                let sample = min(try number("sample \(index + 1) of \(count)"), maxval)
                pixels[index] = UInt8((sample * 255 + maxval / 2) / maxval)
            }
            return pixels
        }
    }
}
