/// The five facial landmarks used for alignment, in image pixel coordinates.
///
/// "Left" and "right" are as seen in the image (the left eye has the smaller x in a frontal face), as in dlib's
/// and InsightFace's 5-point conventions. Coordinates are continuous with the image's top-left corner at (0, 0),
/// so the centre of pixel (i, j) is (i + 0.5, j + 0.5); see ``FaceAligner`` for why.
public struct FaceLandmarks: Sendable, Equatable {
    public var leftEye: SIMD2<Double>
    public var rightEye: SIMD2<Double>
    public var noseTip: SIMD2<Double>
    public var mouthLeft: SIMD2<Double>
    public var mouthRight: SIMD2<Double>

    public init(
        leftEye: SIMD2<Double>, rightEye: SIMD2<Double>, noseTip: SIMD2<Double>,
        mouthLeft: SIMD2<Double>, mouthRight: SIMD2<Double>
    ) {
        self.leftEye = leftEye
        self.rightEye = rightEye
        self.noseTip = noseTip
        self.mouthLeft = mouthLeft
        self.mouthRight = mouthRight
    }

    /// Landmarks from exactly five points in the order left eye, right eye, nose tip, left and right mouth corner.
    public init(points: [SIMD2<Double>]) throws {
        guard points.count == 5 else { throw AlignmentError.wrongLandmarkCount(points.count) }
        self.init(leftEye: points[0], rightEye: points[1], noseTip: points[2], mouthLeft: points[3], mouthRight: points[4])
    }

    /// The five points in the order left eye, right eye, nose tip, left and right mouth corner.
    public var points: [SIMD2<Double>] {
        [leftEye, rightEye, noseTip, mouthLeft, mouthRight]
    }

    /// Whether every coordinate is a finite number.
    public var isFinite: Bool {
        points.allSatisfy { $0.x.isFinite && $0.y.isFinite }
    }

    /// These landmarks with every coordinate multiplied by `factor`.
    public func scaled(by factor: Double) -> FaceLandmarks {
        FaceLandmarks(
            leftEye: leftEye * factor, rightEye: rightEye * factor, noseTip: noseTip * factor,
            mouthLeft: mouthLeft * factor, mouthRight: mouthRight * factor)
    }
}
