import Foundation

/// One operating point of a verifier: the rates at which pairs scoring at least `threshold` are accepted.
public struct ROCPoint: Sendable, Codable, Equatable {
    /// Fraction of mismatched pairs accepted (FAR, false positive rate).
    public var falseAcceptRate: Double
    /// Fraction of matched pairs accepted (TAR, true positive rate).
    public var trueAcceptRate: Double
    /// The score threshold of the point; nil for the origin (nothing accepted).
    public var threshold: Double?
}

/// The receiver operating characteristic of scored pairs, with the area under it, the equal error rate and
/// true accept rates at fixed false accept rates.
public struct ROCCurve: Sendable, Codable, Equatable {
    /// Operating points from (0, 0) to (1, 1), one per distinct score, thresholds decreasing.
    public let points: [ROCPoint]
    /// Number of matched pairs.
    public let positiveCount: Int
    /// Number of mismatched pairs.
    public let negativeCount: Int

    /// The curve of `pairs` (all folds together).
    /// - Throws: ``DataError/invalidArgument(_:)`` when the pairs are all matched or all mismatched.
    public init(_ pairs: ScoredPairs) throws {
        let positives = pairs.positiveCount, negatives = pairs.negativeCount
        guard positives > 0, negatives > 0 else {
            throw DataError.invalidArgument("a ROC curve needs matched and mismatched pairs; there are \(positives) "
                + "matched and \(negatives) mismatched")
        }
        let scores = pairs.scores, isMatch = pairs.isMatch
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [ROCPoint(falseAcceptRate: 0, trueAcceptRate: 0, threshold: nil)]
        var truePositives = 0, falsePositives = 0, index = 0
        while index < order.count {
            let value = scores[order[index]]
            while index < order.count && scores[order[index]] == value {
                if isMatch[order[index]] { truePositives += 1 } else { falsePositives += 1 }
                index += 1
            }
            points.append(ROCPoint(falseAcceptRate: Double(falsePositives) / Double(negatives),
                                   trueAcceptRate: Double(truePositives) / Double(positives), threshold: value))
        }
        self.points = points
        positiveCount = positives
        negativeCount = negatives
    }

    /// Area under the curve (trapezoids between the points); 1 for a perfect verifier, ½ for chance.
    public var areaUnderCurve: Double {
        zip(points, points.dropFirst()).reduce(0) { area, segment in
            area + (segment.1.falseAcceptRate - segment.0.falseAcceptRate)
                * (segment.1.trueAcceptRate + segment.0.trueAcceptRate) / 2
        }
    }

    /// Equal error rate: at the point where the false reject rate (1 − TAR) and FAR are closest, their mean.
    public var equalErrorRate: Double {
        let point = points.min {
            abs(1 - $0.trueAcceptRate - $0.falseAcceptRate) < abs(1 - $1.trueAcceptRate - $1.falseAcceptRate)
        }!
        return (point.falseAcceptRate + 1 - point.trueAcceptRate) / 2
    }

    /// The highest TAR among operating points whose FAR is at most `falseAcceptRate`.
    public func trueAcceptRate(atFalseAcceptRate falseAcceptRate: Double) -> Double {
        // Relative slack so that 3 of 300 negatives counts as FAR 1e-2 despite rounding.
        let limit = falseAcceptRate * (1 + 1e-9)
        return points.filter { $0.falseAcceptRate <= limit }.map(\.trueAcceptRate).max() ?? 0
    }

    /// FARs 1e-1, 1e-2, … that the mismatched pairs can measure: those at which at least one false accept is
    /// possible (FAR × negatives ≥ 1). Smaller FARs are not estimable and are left out of reports.
    public var measurableFalseAcceptRates: [Double] {
        var rates: [Double] = []
        var exponent = 1
        while Double(negativeCount) * pow(10, -Double(exponent)) >= 1 - 1e-9 {
            rates.append(pow(10, -Double(exponent)))
            exponent += 1
        }
        return rates
    }
}
