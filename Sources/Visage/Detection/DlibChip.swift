import Foundation

/// dlib's face chips: `get_face_chip_details` (``details(for:size:padding:)``) and `extract_image_chip`
/// (``extract(_:_:)``), which `dlib.get_face_chip(image, shape, 150, 0.25)` combines to make the 150×150 input
/// of dlib's face-recognition ResNet.
///
/// Extraction follows dlib step for step: when the chip is much smaller than its rectangle the source region
/// (the rotated rectangle's bounding box grown by a margin, clipped to the image and rounded to pixels) is first
/// halved with ``DlibPyramidDown`` until one more halving would make the rectangle smaller than the chip; each
/// chip pixel (c, r) is then mapped by the affine map taking the chip's corners (0, 0), (columns − 1, 0),
/// (0, rows − 1) onto the rotated rectangle's corners and sampled bilinearly with pixel centres at integers,
/// the value truncated to an integer; samples whose 2×2 neighbourhood leaves the region are black.
public enum DlibChip {
    /// The chip `details` of `image`, with `image`'s channels (gray, RGB; RGBA is resampled per channel too).
    /// - Throws: ``AlignmentError/invalidSize(width:height:)`` for a chip without pixels or an empty rectangle.
    public static func extract(_ image: Image, _ details: Details) throws -> Image {
        guard details.rows > 0, details.columns > 0, !details.isEmpty,
              details.left.isFinite, details.top.isFinite, details.right.isFinite, details.bottom.isFinite
        else { throw AlignmentError.invalidSize(width: details.columns, height: details.rows) }
        let size = Double(details.rows * details.columns)
        if details.angle == 0, Double(details.rows) == details.height, Double(details.columns) == details.width {
            return copy(image, details)
        }

        var depth = 0
        var grow = 2.0
        var probe = DlibPyramidDown.rectDown(details)
        while probe.width * probe.height > size {
            probe = DlibPyramidDown.rectDown(probe)
            depth += 1
            grow = grow * 2 + 2
        }
        let centre = details.centre
        let corners = [
            SIMD2(details.left, details.top), SIMD2(details.right, details.top),
            SIMD2(details.left, details.bottom), SIMD2(details.right, details.bottom),
        ].map { rotate($0, about: centre, by: details.angle) }
        // dlib's drectangle → rectangle conversion rounds each side to the nearest integer.
        let region = (
            left: dlibRound(max(corners.map(\.x).min()! - grow, 0)),
            top: dlibRound(max(corners.map(\.y).min()! - grow, 0)),
            right: dlibRound(min(corners.map(\.x).max()! + grow, Double(image.width - 1))),
            bottom: dlibRound(min(corners.map(\.y).max()! + grow, Double(image.height - 1))))
        var source: Image
        if region.left > region.right || region.top > region.bottom {
            source = Image(width: 0, height: 0, channels: image.channels)
        } else {
            source = crop(image, left: region.left, top: region.top, right: region.right, bottom: region.bottom)
        }
        var rect = details
        rect.left -= Double(region.left)
        rect.right -= Double(region.left)
        rect.top -= Double(region.top)
        rect.bottom -= Double(region.top)
        var level = -1
        while true {
            let down = DlibPyramidDown.rectDown(rect)
            guard down.width * down.height > size else { break }
            level += 1
            rect = down
        }
        if level >= 0 {
            for _ in 0...min(level, depth - 1) { source = DlibPyramidDown.apply(source) }
        }

        let levelCentre = rect.centre
        let origin = rotate(SIMD2(rect.left, rect.top), about: levelCentre, by: details.angle)
        let topRight = rotate(SIMD2(rect.right, rect.top), about: levelCentre, by: details.angle)
        let bottomLeft = rotate(SIMD2(rect.left, rect.bottom), about: levelCentre, by: details.angle)
        let xStep = details.columns > 1 ? (topRight - origin) / Double(details.columns - 1) : .zero
        let yStep = details.rows > 1 ? (bottomLeft - origin) / Double(details.rows - 1) : .zero
        return sample(source, rows: details.rows, columns: details.columns, origin: origin, xStep: xStep, yStep: yStep)
    }

    /// dlib's `basic_extract_image_chip`: the pixels of the rounded rectangle copied unscaled, black outside.
    static func copy(_ image: Image, _ details: Details) -> Image {
        let left = dlibRound(details.left), top = dlibRound(details.top)
        let channels = image.channels
        var chip = Image(width: details.columns, height: details.rows, channels: channels)
        for row in 0..<details.rows where top + row >= 0 && top + row < image.height {
            for column in 0..<details.columns where left + column >= 0 && left + column < image.width {
                let from = ((top + row) * image.width + left + column) * channels
                let to = (row * details.columns + column) * channels
                for c in 0..<channels { chip.pixels[to + c] = image.pixels[from + c] }
            }
        }
        return chip
    }

    /// Columns `left…right` and rows `top…bottom` (inclusive, inside the image) of `image`.
    static func crop(_ image: Image, left: Int, top: Int, right: Int, bottom: Int) -> Image {
        let channels = image.channels, width = right - left + 1, height = bottom - top + 1
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * channels)
        for row in top...bottom {
            let start = (row * image.width + left) * channels
            pixels.append(contentsOf: image.pixels[start..<(start + width * channels)])
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The chip sampled bilinearly at origin + c·xStep + r·yStep for every pixel (c, r), as dlib's
    /// `transform_image` with `interpolate_bilinear` does.
    static func sample(
        _ source: Image, rows: Int, columns: Int, origin: SIMD2<Double>, xStep: SIMD2<Double>, yStep: SIMD2<Double>
    ) -> Image {
        let channels = source.channels
        var chip = Image(width: columns, height: rows, channels: channels)
        source.pixels.withUnsafeBufferPointer { pixels in
            chip.pixels.withUnsafeMutableBufferPointer { output in
                for row in 0..<rows {
                    for column in 0..<columns {
                        let c = Double(column), r = Double(row)
                        // dlib's point_transform_affine: m·p + b, m's rows dotted with (c, r) left to right.
                        let x = (xStep.x * c + yStep.x * r) + origin.x
                        let y = (xStep.y * c + yStep.y * r) + origin.y
                        let left = x.rounded(.down), top = y.rounded(.down)
                        guard left >= 0, top >= 0, left + 1 < Double(source.width), top + 1 < Double(source.height)
                        else { continue }
                        let xi = Int(left), yi = Int(top)
                        let lr = x - left, tb = y - top
                        let topLeft = (yi * source.width + xi) * channels
                        let bottomLeft = topLeft + source.width * channels
                        let target = (row * columns + column) * channels
                        for ch in 0..<channels {
                            let tl = Double(pixels[topLeft + ch]), tr = Double(pixels[topLeft + channels + ch])
                            let bl = Double(pixels[bottomLeft + ch]), br = Double(pixels[bottomLeft + channels + ch])
                            let value = (1 - tb) * ((1 - lr) * tl + lr * tr) + tb * ((1 - lr) * bl + lr * br)
                            output[target + ch] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
                        }
                    }
                }
            }
        }
        return chip
    }

    /// `point` turned by `angle` radians about `centre` (dlib's `rotate_point`).
    static func rotate(_ point: SIMD2<Double>, about centre: SIMD2<Double>, by angle: Double) -> SIMD2<Double> {
        let sine = sin(angle), cosine = cos(angle)
        let p = point - centre
        return SIMD2(cosine * p.x - sine * p.y, sine * p.x + cosine * p.y) + centre
    }

    /// dlib's rounding of a coordinate to a pixel index: ⌊v + 0.5⌋.
    static func dlibRound(_ value: Double) -> Int { ShapePredictor.round(value) }
}
