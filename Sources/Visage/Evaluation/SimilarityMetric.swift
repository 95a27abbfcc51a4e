/// How two feature vectors are compared: larger scores mean "more likely the same person".
public enum SimilarityMetric: String, Sendable, Codable, CaseIterable {
    /// Cosine of the angle between the vectors, in [−1, 1] (the default of most face models).
    case cosine
    /// Negative Euclidean distance of the raw (unnormalized) vectors, so that larger is more similar.
    case euclidean

    /// The score of `a` against `b`; both have the same length. Cosine treats a zero vector as orthogonal (0).
    public func score(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        precondition(a.count == b.count, "feature vectors of different lengths")
        var dot = 0.0, normA = 0.0, normB = 0.0, squared = 0.0
        for (x, y) in zip(a, b) {
            let (x, y) = (Double(x), Double(y))
            switch self {
            case .cosine:
                dot += x * y
                normA += x * x
                normB += y * y
            case .euclidean:
                squared += (x - y) * (x - y)
            }
        }
        switch self {
        case .cosine:
            let norms = (normA * normB).squareRoot()
            // A zero vector is orthogonal to everything; NaN passes through so that callers can report it.
            return norms == 0 ? 0 : dot / norms
        case .euclidean:
            return -squared.squareRoot()
        }
    }
}
