/// A face found in a photo: its box in the photo's pixels (dlib's inclusive rectangle, ``FaceBox``) and the
/// detector's confidence.
public struct FaceDetection: Sendable, Equatable {
    public var box: FaceBox
    /// The detector's confidence (dlib's `detection_confidence`: the network's output, larger is surer; 0 is the
    /// default threshold).
    public var score: Double

    public init(box: FaceBox, score: Double) {
        self.box = box
        self.score = score
    }

    /// A detection from dlib's inclusive corners.
    public init(left: Int, top: Int, right: Int, bottom: Int, score: Double) {
        self.init(box: FaceBox(left: left, top: top, right: right, bottom: bottom), score: score)
    }

    /// Intersection over union of the two boxes (``FaceBox/intersectionOverUnion(_:)``).
    public func intersectionOverUnion(_ other: FaceDetection) -> Double { box.intersectionOverUnion(other.box) }
}
