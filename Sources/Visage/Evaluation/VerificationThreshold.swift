/// The decision threshold of a verifier: a pair is declared matched when its score is at least the threshold.
public enum VerificationThreshold {
    /// The threshold with the highest accuracy on `scores`, and that accuracy (a fraction).
    ///
    /// Candidates are the distinct scores themselves; on ties the smallest wins. This is the rule of the
    /// reference computation (`scripts/reference_verification.py`); midpoints between scores can differ by a pair
    /// on the held-out fold.
    public static func best(scores: [Double], isMatch: [Bool]) -> (threshold: Double, accuracy: Double) {
        precondition(!scores.isEmpty && scores.count == isMatch.count, "scores and labels must be non-empty and aligned")
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        let positives = isMatch.count { $0 }
        // With the threshold at the smallest score every pair is declared matched.
        var correct = positives
        var best = (threshold: scores[order[0]], correct: correct)
        var index = 0
        while index < order.count {
            let value = scores[order[index]]
            // Raising the threshold above `value` turns every pair scored `value` into "mismatched".
            while index < order.count && scores[order[index]] == value {
                correct += isMatch[order[index]] ? -1 : 1
                index += 1
            }
            if index < order.count && correct > best.correct {
                best = (scores[order[index]], correct)
            }
        }
        return (best.threshold, Double(best.correct) / Double(scores.count))
    }

    /// The fraction of pairs decided correctly at `threshold`.
    public static func accuracy(scores: [Double], isMatch: [Bool], threshold: Double) -> Double {
        precondition(!scores.isEmpty && scores.count == isMatch.count, "scores and labels must be non-empty and aligned")
        let correct = zip(scores, isMatch).count { ($0 >= threshold) == $1 }
        return Double(correct) / Double(scores.count)
    }
}
