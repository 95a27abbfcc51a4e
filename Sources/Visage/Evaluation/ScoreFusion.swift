/// Score-level fusion of several engines on the same pairs: each engine's scores standardized (z-scored over
/// all the pairs, which uses no labels) and averaged, so engines whose scores live on different scales weigh
/// the same.
extension ScoredPairs {
    /// The fusion of `parts`, which must score the same pairs (same labels and folds, in the same order).
    /// - Throws: ``DataError/invalidArgument(_:)`` for fewer than two parts, parts over different pairs, or a
    ///   part whose scores do not vary.
    public static func fused(_ parts: [ScoredPairs]) throws -> ScoredPairs {
        guard let first = parts.first, parts.count >= 2 else {
            throw DataError.invalidArgument("fusion needs the scores of at least two engines, got \(parts.count)")
        }
        guard parts.allSatisfy({ $0.isMatch == first.isMatch && $0.folds == first.folds }) else {
            throw DataError.invalidArgument("the engines' scores are not over the same pairs in the same order")
        }
        var fused = [Double](repeating: 0, count: first.scores.count)
        for (index, part) in parts.enumerated() {
            let mean = part.scores.reduce(0, +) / Double(part.scores.count)
            let variance = part.scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(part.scores.count)
            guard variance > 0 else {
                throw DataError.invalidArgument("engine \(index + 1) gives every pair the same score; it cannot be fused")
            }
            let deviation = variance.squareRoot()
            for pair in fused.indices { fused[pair] += (part.scores[pair] - mean) / deviation / Double(parts.count) }
        }
        return try ScoredPairs(scores: fused, isMatch: first.isMatch, folds: first.folds)
    }
}
