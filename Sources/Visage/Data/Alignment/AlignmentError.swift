/// Why a face could not be aligned: landmarks or output sizes that do not define a usable transform.
public enum AlignmentError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A landmark set with other than five points.
    case wrongLandmarkCount(Int)
    /// Point sets of different lengths given to a transform estimate.
    case mismatchedPointCounts(source: Int, destination: Int)
    /// A coordinate that is NaN or infinite.
    case nonFiniteLandmarks([SIMD2<Double>])
    /// Landmarks that all coincide (or nearly), so no scale or rotation can be estimated.
    case degenerateLandmarks([SIMD2<Double>])
    /// A transform that maps everything to one point and so cannot be inverted for warping.
    case singularTransform(SimilarityTransform)
    /// An output size that is not positive.
    case invalidSize(width: Int, height: Int)

    public var description: String {
        switch self {
        case .wrongLandmarkCount(let count):
            "expected 5 landmarks (eyes, nose tip, mouth corners), got \(count)"
        case .mismatchedPointCounts(let source, let destination):
            "cannot fit a transform between \(source) source and \(destination) destination points"
        case .nonFiniteLandmarks(let points):
            "landmarks contain a non-finite coordinate: \(Self.format(points))"
        case .degenerateLandmarks(let points):
            "landmarks coincide, so no scale or rotation can be estimated: \(Self.format(points))"
        case .singularTransform(let transform):
            "the transform \(transform) has zero scale and cannot be inverted"
        case .invalidSize(let width, let height):
            "the output size must be positive, got \(width)×\(height)"
        }
    }

    private static func format(_ points: [SIMD2<Double>]) -> String {
        points.map { "(\($0.x), \($0.y))" }.joined(separator: " ")
    }
}
