import Foundation

/// Reads and writes images: JPEG and PNG through libjpeg(-turbo) and libpng, and binary or ASCII PGM/PPM.
///
/// Decoding recognises the format by its first bytes, not by the file name. Gray images stay 1 channel, colour
/// becomes RGB (3) and anything with transparency RGBA (4); use `Image.converted(toChannels:)` for a fixed count.
/// Every failure a file can cause throws an `ImageError` naming it, and declared sizes over `maxDimension` or
/// `maxPixels` are refused before any pixel memory is allocated. All functions are safe to call concurrently.
public enum ImageCodec {
    /// Decodes the image file at `url` (at most `maxFileBytes`).
    public static func decode(contentsOf url: URL) throws -> Image {
        let path = url.path
        return try decode(FileBytes.contents(ofFile: path, limit: maxFileBytes), name: path)
    }

    /// Decodes an encoded image in memory; `name` identifies it in errors.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> Image {
        try bytes.withUnsafeBufferPointer { buffer in
            switch ImageFormat.sniff(buffer) {
            case .jpeg: try JPEGCodec.decode(buffer, name: name)
            case .png: try PNGCodec.decode(buffer, name: name)
            case .pgm, .ppm: try NetpbmCodec.decode(buffer, name: name)
            case nil: throw ImageError(file: name, reason: ImageFormat.unrecognisedReason(buffer))
            }
        }
    }

    /// An 8-bit PNG of `image`: gray, RGB or RGBA as its channels are. Lossless.
    public static func encodePNG(_ image: Image) throws -> [UInt8] {
        try PNGCodec.encode(image, name: "<memory>")
    }

    /// A baseline JPEG of `image` at `quality` (1...100): gray or RGB; an alpha channel is dropped.
    public static func encodeJPEG(_ image: Image, quality: Int = 92) throws -> [UInt8] {
        try JPEGCodec.encode(image, quality: quality, name: "<memory>")
    }

    /// Writes `image` to `url` in the format its extension names (.png, .jpg/.jpeg, .pgm, .ppm; any case),
    /// atomically: into a temporary file in the same folder, then renamed over the destination.
    ///
    /// PGM stores gray (colour is converted by luma) and PPM stores RGB (gray is replicated); both drop alpha,
    /// as JPEG does.
    public static func write(_ image: Image, to url: URL, jpegQuality: Int = 92) throws {
        let path = url.path
        guard let format = ImageFormat(pathExtension: url.pathExtension) else {
            let shown = url.pathExtension.isEmpty ? "no extension" : "extension '.\(url.pathExtension)'"
            throw ImageError(file: path, reason: "cannot tell the image format from \(shown); "
                             + "use .png, .jpg, .jpeg, .pgm or .ppm")
        }
        let bytes: [UInt8]
        switch format {
        case .png: bytes = try PNGCodec.encode(image, name: path)
        case .jpeg: bytes = try JPEGCodec.encode(image, quality: jpegQuality, name: path)
        case .pgm, .ppm: bytes = try NetpbmCodec.encode(image, as: format, name: path)
        }
        try FileBytes.writeAtomically(bytes, to: path)
    }
}
