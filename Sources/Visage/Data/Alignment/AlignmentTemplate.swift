/// Where the five landmarks should land in a square aligned face of a given side.
public struct AlignmentTemplate: Sendable, Equatable {
    /// Target landmark positions, in the output's pixel coordinates.
    public var landmarks: FaceLandmarks
    /// Side of the square output the positions refer to, in pixels.
    public var size: Int

    public init(landmarks: FaceLandmarks, size: Int) {
        self.landmarks = landmarks
        self.size = size
    }

    /// The ArcFace (InsightFace) 5-point template for 112×112 faces.
    public static let arcface112 = AlignmentTemplate(
        landmarks: FaceLandmarks(
            leftEye: ArcFaceTemplate.points[0], rightEye: ArcFaceTemplate.points[1], noseTip: ArcFaceTemplate.points[2],
            mouthLeft: ArcFaceTemplate.points[3], mouthRight: ArcFaceTemplate.points[4]),
        size: ArcFaceTemplate.size)

    /// This template for a square output of side `size`: every point scaled by `size / self.size`, so the face
    /// fills the same fraction of the crop.
    /// - Throws: ``AlignmentError/invalidSize(width:height:)`` when `size` is not positive.
    public func scaled(to size: Int) throws -> AlignmentTemplate {
        guard size > 0 else { throw AlignmentError.invalidSize(width: size, height: size) }
        guard size != self.size else { return self }
        return AlignmentTemplate(landmarks: landmarks.scaled(by: Double(size) / Double(self.size)), size: size)
    }
}
