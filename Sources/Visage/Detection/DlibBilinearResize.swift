/// dlib's bilinear `resize_image`, reproduced operation for operation (including its four-columns-at-a-time
/// single-precision part and its scalar tail) so that the detector sees the same pixels dlib's does.
///
/// Output pixel (r, c) samples the source at (c · sx, r · sy) with sx = (W_in − 1)/(W_out − 1), sy likewise, so the
/// corners map onto the corners. Rows advance in double precision; columns run four at a time in single precision
/// (positions stepped by 4·sx, truncated to integers) and the last few, where the right neighbour of the fourth
/// would fall outside the source, in double precision.
enum DlibBilinearResize {
    /// Resizes one float plane (dlib's path for `float` images, used to build the tiled pyramid tensor).
    /// `source(x, y)` reads the source; `store(x, y, value)` writes the destination.
    static func resizePlane(
        sourceWidth: Int, sourceHeight: Int, width: Int, height: Int,
        source: (Int, Int) -> Float, store: (Int, Int, Float) -> Void
    ) {
        guard width > 0, height > 0, sourceWidth > 0, sourceHeight > 0 else { return }
        let xScale = Double(sourceWidth - 1) / Double(max(width - 1, 1))
        let yScale = Double(sourceHeight - 1) / Double(max(height - 1, 1))
        var y = -yScale
        for r in 0..<height {
            y += yScale
            let top = Int(y.rounded(.down))
            let bottom = min(top + 1, sourceHeight - 1)
            let tbFraction = y - Double(top)
            var c = vectorColumns(xScale: xScale, tbFraction: tbFraction, sourceWidth: sourceWidth,
                                  width: width) { c, left, right, weights in
                let tl = source(left, top), tr = source(right, top)
                let bl = source(left, bottom), br = source(right, bottom)
                store(c, r, weights.0 * tl + weights.1 * tr + weights.2 * bl + weights.3 * br)
            }
            var x = -xScale + Double(c) * xScale
            while c < width {
                x += xScale
                let left = Int(x.rounded(.down))
                let right = min(left + 1, sourceWidth - 1)
                let lrFraction = Float(x - Double(left))
                let upper = (1 - lrFraction) * source(left, top) + lrFraction * source(right, top)
                let lower = (1 - lrFraction) * source(left, bottom) + lrFraction * source(right, bottom)
                store(c, r, Float((1 - tbFraction) * Double(upper) + tbFraction * Double(lower)))
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
        let xScale = Double(sourceWidth - 1) / Double(max(width - 1, 1))
        let yScale = Double(image.height - 1) / Double(max(height - 1, 1))
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { destination in
                var y = -yScale
                for r in 0..<height {
                    y += yScale
                    let top = Int(y.rounded(.down))
                    let bottom = min(top + 1, image.height - 1)
                    let tbFraction = y - Double(top)
                    func at(_ x: Int, _ row: Int, _ channel: Int) -> UInt8 { source[(row * sourceWidth + x) * 3 + channel] }
                    var c = vectorColumns(xScale: xScale, tbFraction: tbFraction, sourceWidth: sourceWidth,
                                          width: width) { c, left, right, weights in
                        for channel in 0..<3 {
                            let value = weights.0 * Float(at(left, top, channel)) + weights.1 * Float(at(right, top, channel))
                                + weights.2 * Float(at(left, bottom, channel)) + weights.3 * Float(at(right, bottom, channel))
                            destination[(r * width + c) * 3 + channel] = UInt8(truncatingIfNeeded: Int32(value))
                        }
                    }
                    var x = -xScale + Double(c) * xScale
                    while c < width {
                        x += xScale
                        let left = Int(x.rounded(.down))
                        let right = min(left + 1, sourceWidth - 1)
                        let lrFraction = x - Double(left)
                        for channel in 0..<3 {
                            let upper = (1 - lrFraction) * Double(at(left, top, channel))
                                + lrFraction * Double(at(right, top, channel))
                            let lower = (1 - lrFraction) * Double(at(left, bottom, channel))
                                + lrFraction * Double(at(right, bottom, channel))
                            let value = (1 - tbFraction) * upper + tbFraction * lower
                            destination[(r * width + c) * 3 + channel] = UInt8(clamping: Int(value))
                        }
                        c += 1
                    }
                }
            }
        }
        return output
    }

    /// The four-at-a-time single-precision columns of one row: calls `sample(column, left, right, weights)` with
    /// the weights of the top-left, top-right, bottom-left and bottom-right neighbours, and returns the first
    /// column left for the scalar tail.
    private static func vectorColumns(
        xScale: Double, tbFraction: Double, sourceWidth: Int, width: Int,
        sample: (Int, Int, Int, (Float, Float, Float, Float)) -> Void
    ) -> Int {
        let start = -4 * xScale
        var positions: (Float, Float, Float, Float) = (Float(start), Float(start + xScale),
                                                      Float(start + 2 * xScale), Float(start + 3 * xScale))
        let step = Float(4 * xScale)
        let tb = Float(tbFraction), inverseTB = Float(1 - tbFraction)
        var c = 0
        while true {
            positions = (positions.0 + step, positions.1 + step, positions.2 + step, positions.3 + step)
            // SSE's truncating conversion (cvttps); positions are never negative here.
            if Int(Int32(positions.3)) + 1 >= sourceWidth { break }
            for (lane, position) in [positions.0, positions.1, positions.2, positions.3].enumerated() {
                let left = Int(Int32(position))
                let lr = position - Float(left)
                let inverseLR = 1 - lr
                sample(c + lane, left, left + 1, (inverseTB * inverseLR, inverseTB * lr, tb * inverseLR, tb * lr))
            }
            c += 4
        }
        return c
    }
}
