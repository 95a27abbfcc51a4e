import CImageCodecs

/// JPEG through libjpeg(-turbo): gray stays 1 channel, YCbCr and RGB decode to RGB, and CMYK/YCCK to RGB by
/// the naive ink product (no colour profile), inverted values read as Adobe writes them.
enum JPEGCodec {
    /// libjpeg's own limit per side.
    static let maxEncodableDimension = 65500

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> Image {
        guard let decoder = ic_jpeg_decoder_create() else {
            throw ImageError(file: name, reason: "out of memory creating a JPEG decoder")
        }
        defer { ic_jpeg_decoder_destroy(decoder) }
        func failure() -> ImageError {
            ImageError(file: name, reason: "cannot decode JPEG: \(String(cString: ic_jpeg_decoder_message(decoder)))")
        }
        var header = ic_header()
        guard ic_jpeg_decoder_read_header(decoder, bytes.baseAddress, bytes.count, &header) == 0 else {
            throw failure()
        }
        let width = Int(header.width), height = Int(header.height), channels = Int(header.channels)
        let count = try ImageCodec.checkedByteCount(width: width, height: height, channels: channels,
                                                    format: "JPEG", name: name)
        let pixels = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard ic_jpeg_decoder_read_pixels(decoder, buffer.baseAddress, count) == 0 else { throw failure() }
            initialized = count
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func encode(_ image: Image, quality: Int, name: String) throws -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw ImageError(file: name, reason: "JPEG quality \(quality) is outside 1...100")
        }
        try ImageCodec.checkEncodable(image, maxDimension: maxEncodableDimension, format: "JPEG", name: name)
        var encoded = ic_encoded()
        defer { ic_encoded_free(&encoded) }
        let status = image.pixels.withUnsafeBufferPointer {
            ic_jpeg_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                           Int32(quality), &encoded)
        }
        return try CodecOutput.bytes(of: &encoded, status: status, format: "JPEG", name: name)
    }
}
