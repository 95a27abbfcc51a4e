/// A face found in a photo: its box in the photo's pixels and the detector's confidence.
///
/// Boxes follow dlib's rectangle convention: `left` and `top` are the first column and row inside the box, and
/// the last column and row inside are `right = left + width − 1` and `bottom = top + height − 1` (inclusive), so a
/// box covering exactly pixel columns 10…19 has `left` 10, `width` 10, `right` 19.
public struct FaceDetection: Sendable, Equatable {
    /// First column inside the box.
    public var left: Double
    /// First row inside the box.
    public var top: Double
    /// Number of columns in the box.
    public var width: Double
    /// Number of rows in the box.
    public var height: Double
    /// The detector's confidence (dlib's `detection_confidence`: the network's output, larger is surer; 0 is the
    /// default threshold).
    public var score: Double

    /// A detection with the box `left, top, width, height` and `score`.
    public init(left: Double, top: Double, width: Double, height: Double, score: Double) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.score = score
    }

    /// A detection from dlib's inclusive corners.
    public init(left: Double, top: Double, right: Double, bottom: Double, score: Double) {
        self.init(left: left, top: top, width: right - left + 1, height: bottom - top + 1, score: score)
    }

    /// Last column inside the box (inclusive).
    public var right: Double { left + width - 1 }
    /// Last row inside the box (inclusive).
    public var bottom: Double { top + height - 1 }

    /// Intersection over union of the two boxes' pixel areas (dlib's `box_intersection_over_union`).
    public func intersectionOverUnion(_ other: FaceDetection) -> Double {
        let overlapWidth = min(right, other.right) - max(left, other.left) + 1
        let overlapHeight = min(bottom, other.bottom) - max(top, other.top) + 1
        guard overlapWidth > 0, overlapHeight > 0 else { return 0 }
        let overlap = overlapWidth * overlapHeight
        return overlap / (width * height + other.width * other.height - overlap)
    }
}
