extension ImageCodec {
    /// The largest width or height a decoder accepts; larger declared sizes are refused before any allocation.
    public static let maxDimension = 32768
    /// The most pixels (width × height) a decoder accepts: 256 megapixels.
    public static let maxPixels = 256 << 20
    /// The largest file `decode(contentsOf:)` reads: 1 GiB.
    public static let maxFileBytes = 1 << 30

    /// The number of output bytes for a declared geometry, or an error when it is empty or over the limits.
    static func checkedByteCount(width: Int, height: Int, channels: Int, format: String, name: String) throws -> Int {
        guard width > 0, height > 0 else {
            throw ImageError(file: name, reason: "\(format) declares an empty image (\(width)×\(height))")
        }
        guard width <= maxDimension, height <= maxDimension else {
            throw ImageError(file: name, reason: "\(format) declares \(width)×\(height) pixels, over the limit of "
                             + "\(maxDimension) per side")
        }
        guard width * height <= maxPixels else {
            throw ImageError(file: name, reason: "\(format) declares \(width)×\(height) pixels, over the limit of "
                             + "\(maxPixels >> 20) megapixels")
        }
        guard [1, 3, 4].contains(channels) else {
            throw ImageError(file: name, reason: "\(format) decodes to \(channels) channels; expected 1, 3 or 4")
        }
        return width * height * channels
    }

    /// Checks that an image's geometry is consistent and encodable, so that C code never reads out of bounds.
    static func checkEncodable(_ image: Image, maxDimension: Int, format: String, name: String) throws {
        guard [1, 3, 4].contains(image.channels) else {
            throw ImageError(file: name, reason: "cannot encode \(image.channels) channels as \(format)")
        }
        guard image.width > 0, image.height > 0, image.width <= maxDimension, image.height <= maxDimension else {
            throw ImageError(file: name, reason: "cannot encode \(image.width)×\(image.height) pixels as \(format) "
                             + "(each side must be 1...\(maxDimension))")
        }
        let (area, overflow) = image.width.multipliedReportingOverflow(by: image.height)
        guard !overflow, area.multipliedReportingOverflow(by: image.channels) == (image.pixels.count, false) else {
            throw ImageError(file: name, reason: "image holds \(image.pixels.count) bytes, which does not match "
                             + "\(image.width)×\(image.height)×\(image.channels)")
        }
    }
}
