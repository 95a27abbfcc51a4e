/// dlib's `pyramid_down<2>`: halves an image with a separable 5-tap [1 4 6 4 1]/16 filter, keeping every other
/// row and column, in integer arithmetic (each output value truncated from sum/256).
///
/// An image of `w`×`h` pixels becomes ⌊(w − 3)/2⌋ × ⌊(h − 3)/2⌋; output pixel (x, y) is centred on input
/// (2x + 2, 2y + 2), so a point p maps to p/2 − (1.25, 0.75) in dlib's bookkeeping (``pointDown(_:)``), the
/// asymmetry being dlib's. Images of 8 or fewer rows or columns give an empty image.
enum DlibPyramidDown {
    /// `image` filtered and halved; channels are filtered independently.
    static func apply(_ image: Image) -> Image {
        let channels = image.channels
        guard image.width > 8, image.height > 8 else { return Image(width: 0, height: 0, channels: channels) }
        let filteredWidth = (image.width - 3) / 2
        let outputHeight = (image.height - 3) / 2
        // Horizontal pass on every row, sampling columns 2c … 2c + 4.
        var rows = [Int32](repeating: 0, count: image.height * filteredWidth * channels)
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<image.height {
                let rowBase = y * image.width * channels
                for x in 0..<filteredWidth {
                    for c in 0..<channels {
                        let at = rowBase + 2 * x * channels + c
                        let sum = Int32(source[at]) + 4 * Int32(source[at + channels])
                            + 6 * Int32(source[at + 2 * channels]) + 4 * Int32(source[at + 3 * channels])
                            + Int32(source[at + 4 * channels])
                        rows[(y * filteredWidth + x) * channels + c] = sum
                    }
                }
            }
        }
        // Vertical pass centred on rows 2, 4, …, dropping the others.
        var output = Image(width: filteredWidth, height: outputHeight, channels: channels)
        let stride = filteredWidth * channels
        for y in 0..<outputHeight {
            let centre = (2 * y + 2) * stride
            for index in 0..<stride {
                let sum = rows[centre - 2 * stride + index] + 4 * rows[centre - stride + index]
                    + 6 * rows[centre + index] + 4 * rows[centre + stride + index] + rows[centre + 2 * stride + index]
                output.pixels[y * stride + index] = UInt8(sum / 256)
            }
        }
        return output
    }

    /// Where `point` of the input lies in the output, as dlib's `pyramid_down<2>::point_down` reckons it.
    static func pointDown(_ point: SIMD2<Double>) -> SIMD2<Double> {
        point / 2 - SIMD2(1.25, 0.75)
    }

    /// `rect` (left, top, right, bottom) mapped by ``pointDown(_:)`` corner by corner.
    static func rectDown(_ rect: DlibChip.Details) -> DlibChip.Details {
        var result = rect
        let topLeft = pointDown(SIMD2(rect.left, rect.top)), bottomRight = pointDown(SIMD2(rect.right, rect.bottom))
        result.left = min(topLeft.x, bottomRight.x)
        result.top = min(topLeft.y, bottomRight.y)
        result.right = max(topLeft.x, bottomRight.x)
        result.bottom = max(topLeft.y, bottomRight.y)
        return result
    }
}
