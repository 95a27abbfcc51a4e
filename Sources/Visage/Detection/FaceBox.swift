/// A face's bounding box in dlib's `rectangle` convention: integer pixel indices, both corners inclusive.
///
/// The box covers columns `left...right` and rows `top...bottom`, so it is `right − left + 1` pixels wide; dlib's
/// detectors return such boxes and its shape predictor takes them. The shape predictor maps its normalised
/// face frame onto the box by corners — (0, 0) to (`left`, `top`) and (1, 1) to (`right`, `bottom`) — so a model
/// trained on one detector's boxes should be given boxes from that detector.
public struct FaceBox: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var left: Int
    public var top: Int
    public var right: Int
    public var bottom: Int

    public init(left: Int, top: Int, right: Int, bottom: Int) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// Columns covered: `right − left + 1`, or 0 for an empty box.
    public var width: Int { isEmpty ? 0 : right - left + 1 }

    /// Rows covered: `bottom − top + 1`, or 0 for an empty box.
    public var height: Int { isEmpty ? 0 : bottom - top + 1 }

    /// Whether the box covers no pixel (dlib: `top > bottom || left > right`).
    public var isEmpty: Bool { top > bottom || left > right }

    public var description: String { "[(\(left), \(top)) (\(right), \(bottom))]" }

    /// Intersection over union of the two boxes' pixel areas (dlib's `box_intersection_over_union`); 0 when
    /// either is empty.
    public func intersectionOverUnion(_ other: FaceBox) -> Double {
        let overlap = FaceBox(left: max(left, other.left), top: max(top, other.top),
                              right: min(right, other.right), bottom: min(bottom, other.bottom))
        let shared = overlap.width * overlap.height
        let union = width * height + other.width * other.height - shared
        return union == 0 ? 0 : Double(shared) / Double(union)
    }
}
