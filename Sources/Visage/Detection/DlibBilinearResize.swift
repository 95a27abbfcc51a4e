/// dlib's bilinear `resize_image`, reproduced operation for operation (including its four-columns-at-a-time
/// single-precision part and its scalar tail) so that the detector sees the same pixels dlib's does.
///
/// Output pixel (r, c) samples the source at (c · sx, r · sy) with sx = (W_in − 1)/(W_out − 1), sy likewise, so
/// the corners map onto the corners. Rows advance in double precision; columns run four at a time in single precision
/// (positions stepped by 4·sx, truncated to integers) and the last few, where the right neighbour of the fourth
/// would fall outside the source, in double precision.
enum DlibBilinearResize {
    /// Resizes one float plane (dlib's path for `float` images, used to build the tiled pyramid tensor) from
    /// `source` (rows `sourceStride` floats apart) into `destination` (rows `destinationStride` apart).
    static func resizePlane(
        _ source: UnsafePointer<Float>, sourceWidth: Int, sourceHeight: Int, sourceStride: Int,
        into destination: UnsafeMutablePointer<Float>, width: Int, height: Int, destinationStride: Int
    ) {
        guard width > 0, height > 0, sourceWidth > 0, sourceHeight > 0 else { return }
        let columns = ColumnTable(sourceWidth: sourceWidth, width: width)
        let yScale = Double(sourceHeight - 1) / Double(max(height - 1, 1))
        var y = -yScale
        for r in 0..<height {
            y += yScale
            let top = Int(y.rounded(.down))
            let bottom = min(top + 1, sourceHeight - 1)
            let tbFraction = y - Double(top)
            let tb = Float(tbFraction), inverseTB = Float(1 - tbFraction)
            let upperRow = source + top * sourceStride, lowerRow = source + bottom * sourceStride
            let output = destination + r * destinationStride
            for c in 0..<columns.vectorCount {
                let left = columns.left[c], right = left + 1
                let lr = columns.fraction[c], inverseLR = 1 - lr
                let value = (inverseTB * inverseLR) * upperRow[left] + (inverseTB * lr) * upperRow[right]
                    + (tb * inverseLR) * lowerRow[left] + (tb * lr) * lowerRow[right]
                output[c] = value
            }
            for c in columns.vectorCount..<width {
                let left = columns.left[c], right = columns.right[c]
                let lr = columns.fraction[c]
                let upper = (1 - lr) * upperRow[left] + lr * upperRow[right]
                let lower = (1 - lr) * lowerRow[left] + lr * lowerRow[right]
                output[c] = Float((1 - tbFraction) * Double(upper) + tbFraction * Double(lower))
            }
        }
    }

    /// Where each output column samples the source, the same for every row.
    ///
    /// The first `vectorCount` columns are dlib's four-at-a-time single-precision ones: positions start at
    /// −4·sx (rounded to float) plus 0, sx, 2·sx, 3·sx, step by float(4·sx), are truncated to `left`, and stop
    /// before a group whose fourth right neighbour would fall outside the source. The rest accumulate positions
    /// in double precision and clamp the right neighbour.
    struct ColumnTable {
        var left: [Int]
        var right: [Int]
        /// The fraction towards `right` (single precision for vector columns; for the tail, the double value
        /// rounded to float, as dlib's float path keeps it).
        var fraction: [Float]
        /// The tail's fractions in double precision (dlib's RGB path keeps them so).
        var tailFraction: [Double]
        var vectorCount: Int

        init(sourceWidth: Int, width: Int) {
            let xScale = Double(sourceWidth - 1) / Double(max(width - 1, 1))
            left = [Int](repeating: 0, count: width)
            right = left
            fraction = [Float](repeating: 0, count: width)
            tailFraction = [Double](repeating: 0, count: width)
            let start = -4 * xScale
            var positions: [Float] = [Float(start), Float(start + xScale), Float(start + 2 * xScale),
                                      Float(start + 3 * xScale)]
            let step = Float(4 * xScale)
            var c = 0
            while true {
                for lane in 0..<4 { positions[lane] += step }
                // SSE's truncating conversion (cvttps); positions are never negative here.
                if Int(Int32(positions[3])) + 1 >= sourceWidth { break }
                for lane in 0..<4 {
                    let truncated = Int(Int32(positions[lane]))
                    left[c + lane] = truncated
                    right[c + lane] = truncated + 1
                    fraction[c + lane] = positions[lane] - Float(truncated)
                }
                c += 4
            }
            vectorCount = c
            var x = -xScale + Double(c) * xScale
            while c < width {
                x += xScale
                let truncated = Int(x.rounded(.down))
                left[c] = truncated
                right[c] = min(truncated + 1, sourceWidth - 1)
                tailFraction[c] = x - Double(truncated)
                fraction[c] = Float(tailFraction[c])
                c += 1
            }
        }
    }

    /// Resizes an 8-bit RGB image (dlib's path for `rgb_pixel` images, used by `pyramid_up`).
    static func resizeRGB(_ image: Image, width: Int, height: Int) -> Image {
        precondition(image.channels == 3, "resizeRGB needs an RGB image")
        var output = Image(width: width, height: height, channels: 3)
        guard width > 0, height > 0, image.width > 0, image.height > 0 else { return output }
        let sourceWidth = image.width
        let columns = ColumnTable(sourceWidth: sourceWidth, width: width)
        let yScale = Double(image.height - 1) / Double(max(height - 1, 1))
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { destination in
                var y = -yScale
                for r in 0..<height {
                    y += yScale
                    let top = Int(y.rounded(.down))
                    let bottom = min(top + 1, image.height - 1)
                    let tbFraction = y - Double(top)
                    let tb = Float(tbFraction), inverseTB = Float(1 - tbFraction)
                    let upper = top * sourceWidth * 3, lower = bottom * sourceWidth * 3
                    for c in 0..<width {
                        let left = columns.left[c] * 3, right = columns.right[c] * 3
                        for channel in 0..<3 {
                            let tl = source[upper + left + channel], tr = source[upper + right + channel]
                            let bl = source[lower + left + channel], br = source[lower + right + channel]
                            let value: Int
                            if c < columns.vectorCount {
                                let lr = columns.fraction[c], inverseLR = 1 - lr
                                value = Int(Int32((inverseTB * inverseLR) * Float(tl) + (inverseTB * lr) * Float(tr)
                                    + (tb * inverseLR) * Float(bl) + (tb * lr) * Float(br)))
                            } else {
                                let lr = columns.tailFraction[c]
                                let top = (1 - lr) * Double(tl) + lr * Double(tr)
                                let bottom = (1 - lr) * Double(bl) + lr * Double(br)
                                value = Int((1 - tbFraction) * top + tbFraction * bottom)
                            }
                            destination[(r * width + c) * 3 + channel] = UInt8(clamping: value)
                        }
                    }
                }
            }
        }
        return output
    }
}
