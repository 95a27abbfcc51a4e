/// An 8-bit image in memory: row-major, channels interleaved (1 = gray, 3 = RGB, 4 = RGBA).
public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// `height * width * channels` bytes, row by row.
    public var pixels: [UInt8]

    /// An image over existing pixel bytes; the count must equal `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && [1, 3, 4].contains(channels), "invalid image geometry")
        precondition(pixels.count == width * height * channels, "pixel count does not match the geometry")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image filled with one value in every channel.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    /// The value of channel `c` at column `x`, row `y`.
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }

    /// This image with `count` channels: gray is replicated to RGB, alpha is dropped, RGB becomes gray by
    /// the ITU-R BT.601 luma weights.
    public func converted(toChannels count: Int) -> Image {
        if count == channels { return self }
        var result = Image(width: width, height: height, channels: count)
        for index in 0..<(width * height) {
            let source = index * channels
            let gray: UInt8
            if channels == 1 {
                gray = pixels[source]
            } else {
                let r = Int(pixels[source]), g = Int(pixels[source + 1]), b = Int(pixels[source + 2])
                gray = UInt8((299 * r + 587 * g + 114 * b + 500) / 1000)
            }
            for c in 0..<count {
                if c == 3 {
                    result.pixels[index * count + c] = channels == 4 ? pixels[source + 3] : 255
                } else if channels == 1 || count == 1 {
                    result.pixels[index * count + c] = gray
                } else {
                    result.pixels[index * count + c] = pixels[source + c]
                }
            }
        }
        return result
    }
}
