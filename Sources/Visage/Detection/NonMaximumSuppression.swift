/// dlib's non-maximum suppression rule (`test_box_overlap`): two boxes overlap when their intersection covers
/// more than `overlapThreshold` of the box enclosing both, or more than `coveredThreshold` of either box.
///
/// dlib's "intersection over union" here divides by the area of the smallest box enclosing both boxes (`(a+b)`
/// in dlib), not by the area of their union; it is kept as is so that the same boxes are suppressed. Areas count
/// pixels of integer boxes with inclusive right and bottom edges.
public struct NonMaximumSuppression: Sendable, Equatable {
    /// Boxes whose intersection over their enclosing box exceeds this overlap (dlib's `iou_thresh`).
    public var overlapThreshold: Double
    /// Boxes whose intersection covers more than this fraction of either box overlap (dlib's
    /// `percent_covered_thresh`; 1 disables the rule).
    public var coveredThreshold: Double

    /// A rule with dlib's two thresholds.
    public init(overlapThreshold: Double, coveredThreshold: Double = 1) {
        self.overlapThreshold = overlapThreshold
        self.coveredThreshold = coveredThreshold
    }

    /// Whether `a` and `b` overlap by this rule.
    public func overlaps(_ a: FaceDetection, _ b: FaceDetection) -> Bool {
        let inner = PixelBox(a).intersection(PixelBox(b)).area
        if inner == 0 { return false }
        let outer = PixelBox(a).enclosing(PixelBox(b)).area
        return inner / outer > overlapThreshold || inner / PixelBox(a).area > coveredThreshold
            || inner / PixelBox(b).area > coveredThreshold
    }

    /// The detections kept, greedily in the given order (callers sort by score, highest first): each is dropped
    /// when it overlaps one already kept.
    public func suppress(_ detections: [FaceDetection]) -> [FaceDetection] {
        var kept = [FaceDetection]()
        for detection in detections where !kept.contains(where: { overlaps($0, detection) }) {
            kept.append(detection)
        }
        return kept
    }
}

/// A box with inclusive edges, for dlib's pixel-counting areas.
struct PixelBox {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double

    init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    init(_ detection: FaceDetection) {
        self.init(left: Double(detection.box.left), top: Double(detection.box.top), right: Double(detection.box.right),
                  bottom: Double(detection.box.bottom))
    }

    /// Pixels inside: (right − left + 1)·(bottom − top + 1), 0 when empty.
    var area: Double {
        right < left || bottom < top ? 0 : (right - left + 1) * (bottom - top + 1)
    }

    func intersection(_ other: PixelBox) -> PixelBox {
        PixelBox(left: max(left, other.left), top: max(top, other.top),
                 right: min(right, other.right), bottom: min(bottom, other.bottom))
    }

    /// The smallest box containing both.
    func enclosing(_ other: PixelBox) -> PixelBox {
        PixelBox(left: min(left, other.left), top: min(top, other.top),
                 right: max(right, other.right), bottom: max(bottom, other.bottom))
    }
}
