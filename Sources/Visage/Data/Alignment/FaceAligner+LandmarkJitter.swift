/// Simulated landmark-detector error: alignment from landmarks that carry Gaussian noise.
///
/// Low-resolution faces are aligned from poorly localized landmarks; the bridge-distillation paper mimics this
/// by randomly perturbing the landmarks before normalizing its low-resolution training copies. Here the noise is
/// put on the template points (an already aligned face has its landmarks there) and the face is warped by the
/// similarity that a detector reporting those noisy points would have produced: perturbed points → template.
extension FaceAligner {
    /// The similarity that re-aligns a `size`×`size` aligned face from its template landmarks perturbed by
    /// independent Gaussian noise of `deviation` pixels per coordinate; `deviation` is in pixels of the
    /// template's own size (112 for ArcFace) and scales with `size`. A deviation of 0 gives the identity.
    /// - Throws: `DataError.invalidArgument` for a negative or non-finite deviation; ``AlignmentError`` for a
    ///   size that is not positive.
    public static func jitterTransform(
        deviation: Double, size: Int, template: AlignmentTemplate = .arcface112, using generator: inout SeededRandom
    ) throws -> SimilarityTransform {
        guard deviation >= 0, deviation.isFinite else {
            throw DataError.invalidArgument("landmark jitter must be a finite deviation ≥ 0 pixels, got \(deviation)")
        }
        let target = try template.scaled(to: size).landmarks.points
        let pixels = deviation * Double(size) / Double(template.size)
        let perturbed = target.map { point in
            point + SIMD2(generator.normal(deviation: pixels), generator.normal(deviation: pixels))
        }
        return try SimilarityTransform.estimate(from: perturbed, to: target)
    }

    /// `aligned` (a face already aligned to `template` at its width) re-warped as if it had been aligned from
    /// landmarks off by `deviation` template pixels; where the warp reaches outside the image it is black, as
    /// in ``warp(_:by:width:height:)``.
    public static func misaligned(
        _ aligned: Image, deviation: Double, template: AlignmentTemplate = .arcface112,
        using generator: inout SeededRandom
    ) throws -> Image {
        let jitter = try jitterTransform(deviation: deviation, size: aligned.width, template: template, using: &generator)
        return try warp(aligned, by: jitter, width: aligned.width, height: aligned.height)
    }

    /// The `size`×`size` face aligned from `landmarks` as a detector off by `deviation` template pixels would
    /// have aligned it: ``align(_:landmarks:size:template:)`` followed by ``jitterTransform(deviation:size:template:using:)``,
    /// in one warp.
    public static func align(
        _ image: Image, landmarks: FaceLandmarks, size: Int = 112, template: AlignmentTemplate = .arcface112,
        jitter deviation: Double, using generator: inout SeededRandom
    ) throws -> Image {
        let exact = try transform(for: landmarks, size: size, template: template)
        let jitter = try jitterTransform(deviation: deviation, size: size, template: template, using: &generator)
        return try warp(image, by: exact.followed(by: jitter), width: size, height: size)
    }
}
