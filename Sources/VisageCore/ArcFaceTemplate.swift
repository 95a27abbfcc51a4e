/// The ArcFace (InsightFace) five-point template for 112×112 faces, in pixels: left eye, right eye, nose tip, left
/// and right mouth corner. Visage's aligner (`AlignmentTemplate.arcface112`) and the synthetic renderer both place
/// faces on it.
public enum ArcFaceTemplate {
    /// Side of the square face the points refer to.
    public static let size = 112
    /// The five points, in the order above.
    public static let points: [SIMD2<Double>] = [
        SIMD2(38.2946, 51.6963), SIMD2(73.5318, 51.5014), SIMD2(56.0252, 71.7366),
        SIMD2(41.5493, 92.3655), SIMD2(70.7299, 92.2041),
    ]
}
