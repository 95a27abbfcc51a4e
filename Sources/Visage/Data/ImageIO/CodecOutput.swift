import CImageCodecs

/// Turns an encoder's C result into Swift bytes or an `ImageError`.
enum CodecOutput {
    /// The encoded bytes (copied; the caller still frees `encoded`), or the encoder's message as an error.
    static func bytes(of encoded: inout ic_encoded, status: Int32, format: String, name: String) throws -> [UInt8] {
        guard status == 0, let data = encoded.data else {
            let message = withUnsafeBytes(of: encoded.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw ImageError(file: name, reason: "cannot encode \(format): \(message)")
        }
        return Array(UnsafeBufferPointer(start: data, count: encoded.size))
    }
}
