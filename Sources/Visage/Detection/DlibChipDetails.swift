import Foundation

extension DlibChip {
    /// Where a chip lies in its source image (dlib's `chip_details`): a rectangle in continuous coordinates,
    /// rotated by `angle` about its centre, resampled to `rows`×`columns` pixels.
    ///
    /// Coordinates follow dlib's `drectangle`: pixel indices with pixel centres at integers, `right` and
    /// `bottom` inclusive, so the rectangle is `right − left + 1` pixels wide.
    public struct Details: Sendable, Equatable {
        public var left: Double
        public var top: Double
        public var right: Double
        public var bottom: Double
        /// Rotation in radians of the chip's axes in the image (positive turns x towards y).
        public var angle: Double
        public var rows: Int
        public var columns: Int

        public init(left: Double, top: Double, right: Double, bottom: Double, angle: Double, rows: Int, columns: Int) {
            self.left = left
            self.top = top
            self.right = right
            self.bottom = bottom
            self.angle = angle
            self.rows = rows
            self.columns = columns
        }

        /// Width as dlib's `drectangle` reports it: `right − left + 1`, or 0 when empty.
        var width: Double { isEmpty ? 0 : right - left + 1 }
        var height: Double { isEmpty ? 0 : bottom - top + 1 }
        var isEmpty: Bool { top > bottom || left > right }
        var centre: SIMD2<Double> { SIMD2(left + right, top + bottom) / 2 }
    }

    /// dlib's mean face for its 5-point model (`get_face_chip_details`), in the unit square, in the model's
    /// point order: right eye outer and inner corner, left eye outer and inner corner, base of the nose.
    static let meanFace: [SIMD2<Double>] = [
        SIMD2(0.8595674595992, 0.2134981538014), SIMD2(0.6460604764104, 0.2289674387677),
        SIMD2(0.1205750620789, 0.2137274526848), SIMD2(0.3340850613712, 0.2290642403242),
        SIMD2(0.4901123135679, 0.6277975316475),
    ]

    /// The chip dlib's `get_face_chip_details(shape, size, padding)` gives for a 5-point shape from
    /// ``ShapePredictor`` (dlib's integer coordinates): the `size`×`size` square whose similarity fit takes the
    /// mean face, grown by `padding` of its width on every side, onto `points`.
    ///
    /// The least-squares similarity is dlib's Umeyama fit in its 2-D closed form; the chip's angle is the
    /// rotation of that fit, its rectangle `size`·scale wide and centred on the image of the chip's centre.
    /// - Throws: ``AlignmentError`` for other than five points, non-finite or coinciding points, a size below 1
    ///   or a negative padding.
    public static func details(for points: [SIMD2<Double>], size: Int = 150, padding: Double = 0.25) throws -> Details {
        guard points.count == 5 else { throw AlignmentError.wrongLandmarkCount(points.count) }
        guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw AlignmentError.nonFiniteLandmarks(points)
        }
        guard size > 0, padding >= 0, padding.isFinite else {
            throw AlignmentError.invalidSize(width: size, height: size)
        }
        let chipPoints = meanFace.map { (padding + $0) / (2 * padding + 1) * Double(size) }
        let count = Double(points.count)
        let meanFrom = chipPoints.reduce(SIMD2<Double>.zero, +) / count
        let meanTo = points.reduce(SIMD2<Double>.zero, +) / count
        var spread = 0.0, dot = 0.0, cross = 0.0
        for (from, to) in zip(chipPoints, points) {
            let u = from - meanFrom, v = to - meanTo
            spread += u.x * u.x + u.y * u.y
            dot += u.x * v.x + u.y * v.y
            cross += u.x * v.y - u.y * v.x
        }
        let a = dot / spread, b = cross / spread
        guard a != 0 || b != 0 else { throw AlignmentError.degenerateLandmarks(points) }
        let translation = meanTo - SIMD2(a * meanFrom.x - b * meanFrom.y, b * meanFrom.x + a * meanFrom.y)
        let scale = (a * a + b * b).squareRoot()
        let half = SIMD2(Double(size), Double(size)) / 2
        let centre = SIMD2(a * half.x - b * half.y, b * half.x + a * half.y) + translation
        // dlib's centered_drect: an inclusive rectangle `extent` pixels across spans extent − 1 between corners.
        let extent = (Double(size) * scale - 1) / 2
        return Details(
            left: centre.x - extent, top: centre.y - extent, right: centre.x + extent, bottom: centre.y + extent,
            angle: atan2(b, a), rows: size, columns: size)
    }
}
