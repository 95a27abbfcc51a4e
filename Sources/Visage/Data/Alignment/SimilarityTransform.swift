import Foundation

/// A 2-D similarity transform — uniform scale, rotation and translation, never a reflection:
/// x' = a·x − b·y + tx, y' = b·x + a·y + ty.
public struct SimilarityTransform: Sendable, Equatable, CustomStringConvertible {
    /// Scale times the cosine of the rotation.
    public var a: Double
    /// Scale times the sine of the rotation.
    public var b: Double
    public var tx: Double
    public var ty: Double

    public init(a: Double, b: Double, tx: Double, ty: Double) {
        self.a = a
        self.b = b
        self.tx = tx
        self.ty = ty
    }

    /// The transform that scales by `scale`, rotates by `rotation` radians (counter-clockwise in a y-up frame,
    /// clockwise on screen where y points down), then translates.
    public init(scale: Double, rotation: Double, translation: SIMD2<Double>) {
        self.init(a: scale * cos(rotation), b: scale * sin(rotation), tx: translation.x, ty: translation.y)
    }

    /// The transform that leaves every point where it is.
    public static let identity = SimilarityTransform(a: 1, b: 0, tx: 0, ty: 0)

    /// The uniform scale factor.
    public var scale: Double { (a * a + b * b).squareRoot() }

    /// The rotation angle in radians, in (−π, π].
    public var rotation: Double { atan2(b, a) }

    public var translation: SIMD2<Double> { SIMD2(tx, ty) }

    /// The 2×3 matrix `[[a, −b, tx], [b, a, ty]]`, as OpenCV's `warpAffine` and scikit-image take it.
    public var matrix: [[Double]] { [[a, -b, tx], [b, a, ty]] }

    /// The image of `point`.
    public func apply(_ point: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(a * point.x - b * point.y + tx, b * point.x + a * point.y + ty)
    }

    /// The transform that undoes this one, or nil when the scale is zero.
    public var inverse: SimilarityTransform? {
        let norm = a * a + b * b
        guard norm > 0, norm.isFinite else { return nil }
        let ia = a / norm, ib = -b / norm
        return SimilarityTransform(a: ia, b: ib, tx: -(ia * tx - ib * ty), ty: -(ib * tx + ia * ty))
    }

    /// This transform followed by `next`.
    public func followed(by next: SimilarityTransform) -> SimilarityTransform {
        SimilarityTransform(
            a: next.a * a - next.b * b, b: next.b * a + next.a * b,
            tx: next.a * tx - next.b * ty + next.tx, ty: next.b * tx + next.a * ty + next.ty)
    }

    /// The least-squares similarity mapping `source` onto `destination`, point for point.
    ///
    /// This is Umeyama's (1991) estimate restricted to proper rotations. In two dimensions it has a closed form:
    /// writing the centred points as complex numbers, a + ib = Σ conj(s)·d / Σ|s|², which minimises
    /// Σ‖d − (a + ib)·s‖² over every scale and rotation, exactly as Umeyama's SVD with the reflection
    /// correction does, without an SVD.
    /// - Throws: ``AlignmentError`` when the counts differ, a coordinate is not finite, or either point set
    ///   coincides (no scale or rotation is defined).
    public static func estimate(from source: [SIMD2<Double>], to destination: [SIMD2<Double>]) throws
        -> SimilarityTransform
    {
        guard source.count == destination.count, !source.isEmpty else {
            throw AlignmentError.mismatchedPointCounts(source: source.count, destination: destination.count)
        }
        for points in [source, destination] where !points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) {
            throw AlignmentError.nonFiniteLandmarks(points)
        }
        let count = Double(source.count)
        let sourceMean = source.reduce(SIMD2<Double>.zero, +) / count
        let destinationMean = destination.reduce(SIMD2<Double>.zero, +) / count
        var sourceSpread = 0.0, destinationSpread = 0.0, dot = 0.0, cross = 0.0
        for (s, d) in zip(source, destination) {
            let cs = s - sourceMean, cd = d - destinationMean
            sourceSpread += cs.x * cs.x + cs.y * cs.y
            destinationSpread += cd.x * cd.x + cd.y * cd.y
            dot += cs.x * cd.x + cs.y * cd.y
            cross += cs.x * cd.y - cs.y * cd.x
        }
        // Points closer together than a millionth of a pixel carry no scale or rotation.
        guard sourceSpread / count > 1e-12 else { throw AlignmentError.degenerateLandmarks(source) }
        guard destinationSpread / count > 1e-12 else { throw AlignmentError.degenerateLandmarks(destination) }
        let a = dot / sourceSpread, b = cross / sourceSpread
        return SimilarityTransform(
            a: a, b: b,
            tx: destinationMean.x - (a * sourceMean.x - b * sourceMean.y),
            ty: destinationMean.y - (b * sourceMean.x + a * sourceMean.y))
    }

    public var description: String {
        "[[\(a), \(-b), \(tx)], [\(b), \(a), \(ty)]]"
    }
}
