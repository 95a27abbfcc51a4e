/// Warps a face so that its five landmarks land on an ``AlignmentTemplate`` (ArcFace 112×112 by default).
///
/// The sampling follows Pillow's `Image.transform(size, AFFINE, data, BILINEAR)`, which is how the aligned crops
/// in the shared data sets were made (they are reproduced bit for bit given their unrounded landmarks):
/// - coordinates are continuous with pixel (i, j) covering [i, i+1) × [j, j+1), so the centre of output pixel
///   (x, y) is (x + 0.5, y + 0.5), mapped back through the inverse transform;
/// - a point outside the source image's extent gives 0 (black) in every channel; one inside but within half a
///   pixel of an edge interpolates with the edge pixels replicated;
/// - the bilinear value is truncated to an integer, not rounded.
///
/// OpenCV's `warpAffine` puts pixel centres at integers instead; for the same landmarks its crops are shifted by
/// half a pixel relative to these.
public enum FaceAligner {
    /// The transform from `landmarks` (source-image pixels) onto `template` scaled to a `size`×`size` output.
    public static func transform(
        for landmarks: FaceLandmarks, size: Int = 112, template: AlignmentTemplate = .arcface112
    ) throws -> SimilarityTransform {
        guard landmarks.isFinite else { throw AlignmentError.nonFiniteLandmarks(landmarks.points) }
        let target = try template.scaled(to: size)
        return try SimilarityTransform.estimate(from: landmarks.points, to: target.landmarks.points)
    }

    /// The `size`×`size` aligned face: `image` warped so that `landmarks` land on `template` scaled to `size`.
    /// The result has the same channel count as `image`.
    /// - Throws: ``AlignmentError`` for non-finite or coinciding landmarks or a size that is not positive.
    public static func align(
        _ image: Image, landmarks: FaceLandmarks, size: Int = 112, template: AlignmentTemplate = .arcface112
    ) throws -> Image {
        try warp(image, by: transform(for: landmarks, size: size, template: template), width: size, height: size)
    }

    /// `image` resampled through `transform` (source pixels → output pixels) into a `width`×`height` image,
    /// by inverse mapping with bilinear interpolation (see the type's notes for the exact conventions).
    public static func warp(_ image: Image, by transform: SimilarityTransform, width: Int, height: Int) throws -> Image {
        guard width > 0, height > 0 else { throw AlignmentError.invalidSize(width: width, height: height) }
        guard let inverse = transform.inverse else { throw AlignmentError.singularTransform(transform) }
        let channels = image.channels
        var output = Image(width: width, height: height, channels: channels)
        guard image.width > 0, image.height > 0 else { return output }
        let sourceWidth = Double(image.width), sourceHeight = Double(image.height)
        // Pillow's affine coefficients: input = (c0·x + c1·y + c2, c3·x + c4·y + c5) for output point (x, y).
        let c0 = inverse.a, c1 = -inverse.b, c2 = inverse.tx
        let c3 = inverse.b, c4 = inverse.a, c5 = inverse.ty
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let outY = Double(y) + 0.5
                    for x in 0..<width {
                        let outX = Double(x) + 0.5
                        let inX = c0 * outX + c1 * outY + c2
                        let inY = c3 * outX + c4 * outY + c5
                        guard inX >= 0, inX < sourceWidth, inY >= 0, inY < sourceHeight else { continue }
                        let fx = inX - 0.5, fy = inY - 0.5
                        let floorX = fx.rounded(.down), floorY = fy.rounded(.down)
                        let dx = fx - floorX, dy = fy - floorY
                        let column = Int(floorX), row = Int(floorY)
                        let x0 = max(column, 0), x1 = min(column + 1, image.width - 1)
                        let y0 = max(row, 0), y1 = min(row + 1, image.height - 1)
                        let top = y0 * image.width, bottom = y1 * image.width
                        let out = (y * width + x) * channels
                        for c in 0..<channels {
                            let p00 = Double(source[(top + x0) * channels + c])
                            let p01 = Double(source[(top + x1) * channels + c])
                            let p10 = Double(source[(bottom + x0) * channels + c])
                            let p11 = Double(source[(bottom + x1) * channels + c])
                            let upper = p00 + (p01 - p00) * dx
                            let lower = p10 + (p11 - p10) * dx
                            target[out + c] = UInt8(min(max(upper + (lower - upper) * dy, 0), 255))
                        }
                    }
                }
            }
        }
        return output
    }
}
