/// Aligning faces to Visage's ArcFace crops from dlib's 5-point shape (``ShapePredictor``).
///
/// dlib's five points are eye corners and the base of the nose, not the eye centres, nose tip and mouth
/// corners of the ArcFace template, so no point maps onto a template point exactly and there are no mouth
/// points at all. Instead of inventing correspondences, the alignment fits all five dlib points by a
/// least-squares similarity to where they fall, on average, in faces already aligned to the ArcFace template:
/// ``arcFace112`` was measured by running dlib's detector and this model on 2,902 of the shared LFW crops
/// (`scripts/fixtures/dlib5_arcface_template.py`; each point's standard deviation 1.3–2.4 px). On ORL and
/// Extended Yale B the dataset's own landmarks land on average 2.3 and 1.5 px (in the 112 crop) from where the
/// dataset's 5-point ArcFace alignment puts them; fitting only the eye-corner midpoints to the ArcFace eyes
/// gives 3.9 and 2.9 px.
///
/// Coordinates are used as dlib gives them, as the shared data's landmarks were: the crops they were measured
/// on were made with dlib's integer coordinates taken as Visage's continuous ones.
public enum DlibFivePointAlignment {
    /// Mean positions of dlib's five points (right eye outer and inner corner, left eye outer and inner corner,
    /// nose base) in 112×112 crops aligned to ``AlignmentTemplate/arcface112``.
    public static let arcFace112: [SIMD2<Double>] = [
        SIMD2(79.957, 52.551), SIMD2(66.325, 53.034), SIMD2(31.703, 52.795), SIMD2(45.335, 53.126),
        SIMD2(55.940, 79.508),
    ]

    /// The similarity taking dlib's five `points` onto the template for a `size`×`size` ArcFace crop.
    /// - Throws: ``AlignmentError`` for other than five points, non-finite or coinciding points, or a size
    ///   that is not positive.
    public static func transform(for points: [SIMD2<Double>], size: Int = 112) throws -> SimilarityTransform {
        guard points.count == 5 else { throw AlignmentError.wrongLandmarkCount(points.count) }
        guard size > 0 else { throw AlignmentError.invalidSize(width: size, height: size) }
        let scale = Double(size) / 112
        return try SimilarityTransform.estimate(from: points, to: arcFace112.map { $0 * scale })
    }

    /// The `size`×`size` ArcFace-aligned face (as ``FaceAligner`` samples it) from dlib's five `points`.
    public static func align(_ image: Image, points: [SIMD2<Double>], size: Int = 112) throws -> Image {
        try FaceAligner.warp(image, by: transform(for: points, size: size), width: size, height: size)
    }

    /// The ArcFace landmarks this fit implies: where the template's eye centres, nose tip and mouth corners fall
    /// in the image. They are not observed (the mouth especially is only where an average face would have it),
    /// but ``FaceAligner/align(_:landmarks:size:template:)`` on them gives the same crop as ``align(_:points:size:)``,
    /// which lets dlib's shapes go where ``FaceLandmarks`` are expected (landmark files, folder alignment).
    public static func impliedLandmarks(for points: [SIMD2<Double>]) throws -> FaceLandmarks {
        let toCrop = try transform(for: points)
        guard let toImage = toCrop.inverse else { throw AlignmentError.singularTransform(toCrop) }
        return try FaceLandmarks(points: AlignmentTemplate.arcface112.landmarks.points.map(toImage.apply))
    }

    /// The eye centres as the midpoints of dlib's eye corners, left and right as seen in the image.
    public static func eyeCentres(_ points: [SIMD2<Double>]) throws -> (left: SIMD2<Double>, right: SIMD2<Double>) {
        guard points.count == 5 else { throw AlignmentError.wrongLandmarkCount(points.count) }
        return ((points[2] + points[3]) / 2, (points[0] + points[1]) / 2)
    }
}
