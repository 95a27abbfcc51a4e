/// How well detected boxes cover annotated faces: recall at an overlap, the overlap of the matches, and the
/// detections that match nothing.
///
/// Matching is greedy by overlap: the pair (annotation, detection) with the largest intersection over union is
/// matched first, each box at most once, and a match counts when its overlap reaches ``minimumOverlap``.
public struct DetectionEvaluation: Sendable, Equatable {
    /// Overlap (intersection over union) a match needs.
    public var minimumOverlap: Double
    /// Annotated faces.
    public private(set) var annotated = 0
    /// Annotated faces matched by a detection.
    public private(set) var matched = 0
    /// Sum of the matches' overlaps.
    public private(set) var overlapSum = 0.0
    /// Detections that matched no annotated face.
    public private(set) var falsePositives = 0

    public init(minimumOverlap: Double = 0.5) {
        self.minimumOverlap = minimumOverlap
    }

    /// Adds one photo's annotated and detected boxes.
    public mutating func add(annotated truth: [FaceBox], detected: [FaceBox]) {
        var candidates: [(overlap: Double, truth: Int, detection: Int)] = []
        for (i, box) in truth.enumerated() {
            for (j, found) in detected.enumerated() {
                let overlap = box.intersectionOverUnion(found)
                if overlap >= minimumOverlap { candidates.append((overlap, i, j)) }
            }
        }
        var usedTruth = Set<Int>(), usedDetections = Set<Int>()
        for candidate in candidates.sorted(by: { $0.overlap > $1.overlap })
        where !usedTruth.contains(candidate.truth) && !usedDetections.contains(candidate.detection) {
            usedTruth.insert(candidate.truth)
            usedDetections.insert(candidate.detection)
            overlapSum += candidate.overlap
        }
        annotated += truth.count
        matched += usedTruth.count
        falsePositives += detected.count - usedDetections.count
    }

    /// Matched annotated faces over all annotated faces.
    public var recall: Double { annotated == 0 ? 0 : Double(matched) / Double(annotated) }

    /// Mean overlap of the matched pairs.
    public var meanOverlap: Double { matched == 0 ? 0 : overlapSum / Double(matched) }
}
