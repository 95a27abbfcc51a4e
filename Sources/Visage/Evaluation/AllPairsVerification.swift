import Foundation
import Torch

/// Verification over every pair of two sets of embeddings — each same-person pair matched, each different-person
/// pair an impostor — so that true accept rates at low false accept rates (1e-3, 1e-4) rest on millions of
/// impostors rather than a pair list's few hundred (the IJB-C style protocols of DMFR).
///
/// Rows are L2-normalized embeddings; the score is their cosine. When the two sets hold copies of the same images
/// (`sameImages`: row i of both comes from image i, seen under two conditions), each unordered image pair counts
/// once, as (first i, second j) with i < j, and an image never meets its own copy; otherwise every (i, j) counts.
public struct AllPairsVerification: Sendable {
    /// Matched-pair scores, in ascending order.
    public let genuine: [Float]
    /// Impostor scores, in ascending order.
    public let impostors: [Float]

    /// Scores every pair of `first` against `second`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the dimensions or label counts disagree, the sets of copies
    ///   differ in size, or the pairs hold no matched or no impostor pair.
    public init(first: FeatureMatrix, firstLabels: [Int], second: FeatureMatrix, secondLabels: [Int],
                sameImages: Bool) throws {
        guard first.columns == second.columns, first.rows == firstLabels.count, second.rows == secondLabels.count else {
            throw DataError.invalidArgument("all-pairs verification needs two feature sets of one dimension with a "
                + "label per row; got \(first.rows)×\(first.columns) with \(firstLabels.count) labels and "
                + "\(second.rows)×\(second.columns) with \(secondLabels.count)")
        }
        guard !sameImages || first.rows == second.rows else {
            throw DataError.invalidArgument("copies of the same images need as many rows in both sets; got "
                + "\(first.rows) and \(second.rows)")
        }
        var genuine: [Float] = [], impostors: [Float] = []
        try withoutGrad {
            let a = try Tensor(first.values, shape: [first.rows, first.columns])
            let b = try Tensor(second.values, shape: [second.rows, second.columns])
            let labelsA = Tensor(firstLabels.map(Int64.init)), labelsB = Tensor(secondLabels.map(Int64.init))
            // Blocks of rows keep the score matrix small.
            let block = 1024
            for start in stride(from: 0, to: first.rows, by: block) {
                let count = min(block, first.rows - start)
                let scores = a.narrow(0, start: start, length: count).matmul(b.transposed())
                let same = labelsA.narrow(0, start: start, length: count).view([-1, 1]) .== labelsB.view([1, -1])
                var counted = Tensor.ones(same.shape, dtype: .bool)
                if sameImages {
                    let rows = (Tensor.arange(count) + Double(start)).view([-1, 1])
                    counted = rows .< Tensor.arange(second.rows).view([1, -1])
                }
                genuine += scores.maskedSelect(same .& counted).contiguous().array(of: Float.self)
                impostors += scores.maskedSelect(same.logicalNot() .& counted).contiguous().array(of: Float.self)
            }
            genuine = Tensor(genuine).sorted().values.array(of: Float.self)
            impostors = Tensor(impostors).sorted().values.array(of: Float.self)
        }
        guard !genuine.isEmpty, !impostors.isEmpty else {
            throw DataError.invalidArgument("the sets give \(genuine.count) matched and \(impostors.count) impostor "
                + "pairs; all-pairs verification needs both")
        }
        self.genuine = genuine
        self.impostors = impostors
    }

    /// The fraction of matched pairs accepted at the lowest threshold that accepts at most `falseAcceptRate` of the
    /// impostors (a pair is accepted when its score exceeds the threshold; ties with an impostor are rejected).
    public func trueAcceptRate(atFalseAcceptRate falseAcceptRate: Double) -> Double {
        let allowed = Int((falseAcceptRate * Double(impostors.count) * (1 + 1e-9)).rounded(.down))
        guard allowed < impostors.count else { return 1 }
        let threshold = impostors[impostors.count - 1 - allowed]
        return Double(genuine.count - Self.countAtMost(threshold, in: genuine)) / Double(genuine.count)
    }

    /// Whether `falseAcceptRate` can be measured: at least ten impostors may be accepted at it.
    public func measures(falseAcceptRate: Double) -> Bool { falseAcceptRate * Double(impostors.count) >= 10 }

    /// The best mean of the true accept and true reject rates over all thresholds: accuracy with matched and
    /// impostor pairs weighted equally, since the impostors outnumber the matched pairs a thousandfold.
    public var balancedAccuracy: Double {
        var best = 0.5
        for (index, threshold) in genuine.enumerated() where index == 0 || genuine[index - 1] != threshold {
            // Accept scores ≥ threshold.
            let accepted = Double(genuine.count - index) / Double(genuine.count)
            let rejected = Double(Self.countBelow(threshold, in: impostors)) / Double(impostors.count)
            best = max(best, (accepted + rejected) / 2)
        }
        return best
    }

    /// Mean cosine of matched pairs (DMFR's intra-class similarity).
    public var meanGenuineScore: Double { genuine.reduce(0) { $0 + Double($1) } / Double(genuine.count) }
    /// Mean cosine between different people (DMFR's inter-class similarity, its Table 1).
    public var meanImpostorScore: Double { impostors.reduce(0) { $0 + Double($1) } / Double(impostors.count) }

    /// Elements of the ascending `values` that are at most `value`.
    private static func countAtMost(_ value: Float, in values: [Float]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Elements of the ascending `values` that are below `value`.
    private static func countBelow(_ value: Float, in values: [Float]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
