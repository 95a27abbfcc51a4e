import CImageCodecs

/// PNG through libpng: any bit depth scaled to 8 bits, palettes expanded, interlacing undone; gray stays 1
/// channel, colour becomes RGB, and any transparency (alpha channel or tRNS) becomes RGBA.
enum PNGCodec {
    /// Deflate cannot expand data by more than 1032:1, so a file declaring more raw bytes than that cannot hold them.
    static let maxDeflateRatio = 1032
    /// zlib level for encoding: libpng's default trade-off of size against speed.
    static let compressionLevel: Int32 = 6

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> Image {
        guard let decoder = ic_png_decoder_create() else {
            throw ImageError(file: name, reason: "out of memory creating a PNG decoder")
        }
        defer { ic_png_decoder_destroy(decoder) }
        func failure() -> ImageError {
            ImageError(file: name, reason: "cannot decode PNG: \(String(cString: ic_png_decoder_message(decoder)))")
        }
        var header = ic_header()
        guard ic_png_decoder_read_header(decoder, bytes.baseAddress, bytes.count, &header) == 0 else {
            throw failure()
        }
        let width = Int(header.width), height = Int(header.height), channels = Int(header.channels)
        let count = try ImageCodec.checkedByteCount(width: width, height: height, channels: channels,
                                                    format: "PNG", name: name)
        // Within the limits, a small file can still declare a large image; refuse it before allocating.
        let rowBytes = (width * Int(header.stored_channels) * Int(header.stored_bit_depth) + 7) / 8
        guard height * (rowBytes + 1) <= maxDeflateRatio * bytes.count else {
            throw ImageError(file: name, reason: "PNG declares \(width)×\(height) pixels, more than its "
                             + "\(bytes.count) bytes can hold (truncated or corrupt)")
        }
        let pixels = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard ic_png_decoder_read_pixels(decoder, buffer.baseAddress, count) == 0 else { throw failure() }
            initialized = count
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func encode(_ image: Image, name: String) throws -> [UInt8] {
        try ImageCodec.checkEncodable(image, maxDimension: Int(Int32.max), format: "PNG", name: name)
        var encoded = ic_encoded()
        defer { ic_encoded_free(&encoded) }
        let status = image.pixels.withUnsafeBufferPointer {
            ic_png_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                          compressionLevel, &encoded)
        }
        return try CodecOutput.bytes(of: &encoded, status: status, format: "PNG", name: name)
    }
}
