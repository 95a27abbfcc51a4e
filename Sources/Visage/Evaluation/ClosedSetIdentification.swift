/// Closed-set identification: every probe is searched in a gallery that holds its identity, optionally enlarged
/// with distractors (gallery entries of nobody the probes show).
///
/// A probe's rank is 1 + the number of gallery entries of other identities (distractors included) that score at
/// least as high as its best same-identity entry: ties count against the probe.
public struct ClosedSetIdentification: Sendable, Codable, Equatable {
    /// The metric the gallery was searched with.
    public let metric: SimilarityMetric
    /// Number of probes.
    public let probeCount: Int
    /// Number of gallery entries with identities (distractors not included).
    public let galleryCount: Int
    /// Number of distractor entries added to the gallery.
    public let distractorCount: Int
    /// The rank of each probe's identity (1 = found first).
    public let ranks: [Int]

    /// Searches every probe in the gallery.
    /// - Parameters:
    ///   - gallery: one row per enrolled image; `galleryLabels` gives its identity.
    ///   - probes: one row per query image; `probeLabels` gives its identity, which the gallery must hold.
    ///   - distractors: extra gallery rows that match no probe.
    /// - Throws: ``DataError/invalidArgument(_:)`` when a label count differs from its matrix, the dimensions
    ///   differ, the gallery or probes are empty, or a probe's identity is not in the gallery (naming it).
    public init(
        gallery: FeatureMatrix, galleryLabels: [Int], probes: FeatureMatrix, probeLabels: [Int],
        distractors: FeatureMatrix? = nil, metric: SimilarityMetric = .cosine
    ) throws {
        guard gallery.rows == galleryLabels.count else {
            throw DataError.invalidArgument("the gallery has \(gallery.rows) rows but \(galleryLabels.count) labels")
        }
        guard probes.rows == probeLabels.count else {
            throw DataError.invalidArgument("the probes have \(probes.rows) rows but \(probeLabels.count) labels")
        }
        guard gallery.rows > 0, probes.rows > 0 else {
            throw DataError.invalidArgument("identification needs a gallery and probes; got \(gallery.rows) gallery "
                + "and \(probes.rows) probe rows")
        }
        guard probes.columns == gallery.columns else {
            throw DataError.invalidArgument("probe features are \(probes.columns)-dimensional, gallery features "
                + "\(gallery.columns)-dimensional")
        }
        if let distractors, distractors.columns != gallery.columns {
            throw DataError.invalidArgument("distractor features are \(distractors.columns)-dimensional, gallery "
                + "features \(gallery.columns)-dimensional")
        }
        let enrolled = Set(galleryLabels)
        if let missing = probeLabels.firstIndex(where: { !enrolled.contains($0) }) {
            throw DataError.invalidArgument("probe \(missing) has identity \(probeLabels[missing]), which the gallery "
                + "does not hold: closed-set identification needs every probe identity enrolled")
        }
        let distractorScores: (Int) -> [Double] = { probe in
            guard let distractors else { return [] }
            return (0..<distractors.rows).map { metric.score(probes.row(probe), distractors.row($0)) }
        }
        ranks = (0..<probes.rows).map { probe in
            let scores = (0..<gallery.rows).map { metric.score(probes.row(probe), gallery.row($0)) }
            let label = probeLabels[probe]
            let best = scores.indices.filter { galleryLabels[$0] == label }.map { scores[$0] }.max()!
            let impostors = scores.indices.filter { galleryLabels[$0] != label }.count { scores[$0] >= best }
            return 1 + impostors + distractorScores(probe).count { $0 >= best }
        }
        self.metric = metric
        probeCount = probes.rows
        galleryCount = gallery.rows
        distractorCount = distractors?.rows ?? 0
    }

    /// Cumulative match characteristic: entry `k − 1` is the percentage of probes found within rank `k`, for
    /// k = 1 … `maxRank`.
    public func cumulativeMatch(maxRank: Int) -> [Double] {
        (1...max(1, maxRank)).map { rank in 100 * Double(ranks.count { $0 <= rank }) / Double(ranks.count) }
    }

    /// Percentage of probes whose identity comes first.
    public var top1: Double { cumulativeMatch(maxRank: 1)[0] }

    /// Percentage of probes whose identity is among the first five.
    public var top5: Double { cumulativeMatch(maxRank: 5)[4] }
}
