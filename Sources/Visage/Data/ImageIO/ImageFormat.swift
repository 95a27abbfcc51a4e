/// The file formats `ImageCodec` reads and writes, recognised by their first bytes or by a path extension.
enum ImageFormat: Equatable, Sendable {
    case jpeg
    case png
    /// Netpbm gray map: P5 (binary) or P2 (ASCII).
    case pgm
    /// Netpbm pixel map: P6 (binary) or P3 (ASCII).
    case ppm

    /// The format whose signature starts `bytes`, or nil when it is none of the supported ones.
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> ImageFormat? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), NetpbmCodec.isWhitespace(bytes[2]) {
            switch bytes[1] {
            case UInt8(ascii: "2"), UInt8(ascii: "5"): return .pgm
            case UInt8(ascii: "3"), UInt8(ascii: "6"): return .ppm
            default: return nil
            }
        }
        return nil
    }

    /// Why `bytes` is not readable: a known but unsupported format by name, or its first bytes in hex.
    static func unrecognisedReason(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.isEmpty { return "empty file (0 bytes)" }
        let known: [(signature: [UInt8], name: String)] = [
            (Array("BM".utf8), "BMP"), (Array("GIF8".utf8), "GIF"), ([0x49, 0x49, 0x2A, 0x00], "TIFF"),
            ([0x4D, 0x4D, 0x00, 0x2A], "TIFF"), (Array("P1".utf8), "Netpbm PBM (P1)"),
            (Array("P4".utf8), "Netpbm PBM (P4)"), (Array("P7".utf8), "Netpbm PAM (P7)"),
        ]
        for (signature, name) in known where bytes.starts(with: signature) {
            return "unsupported image format \(name); supported are JPEG, PNG, PGM and PPM"
        }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "unsupported image format WebP; supported are JPEG, PNG, PGM and PPM"
        }
        let head = bytes.prefix(8).map { String($0, radix: 16, uppercase: true) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
        return "not a JPEG, PNG, PGM or PPM file (starts with \(head))"
    }

    /// The format named by a path extension (case-insensitive: png, jpg, jpeg, pgm, ppm), or nil.
    init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "pgm": self = .pgm
        case "ppm": self = .ppm
        default: return nil
        }
    }
}
