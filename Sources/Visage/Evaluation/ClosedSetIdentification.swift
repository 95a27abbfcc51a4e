import Torch

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

    /// Searches every probe in the gallery: one float32 matrix multiply per batch of probes against the whole
    /// gallery, so that memory stays at `probesPerBatch` × (gallery + distractor) scores.
    /// - Parameters:
    ///   - gallery: one row per enrolled image; `galleryLabels` gives its identity.
    ///   - probes: one row per query image; `probeLabels` gives its identity, which the gallery must hold.
    ///   - distractors: extra gallery rows that match no probe.
    ///   - probesPerBatch: probes scored at once.
    /// - Throws: ``DataError/invalidArgument(_:)`` when a label count differs from its matrix, the dimensions
    ///   differ, the gallery or probes are empty, a feature is not finite, `probesPerBatch` is not positive, or a
    ///   probe's identity is not in the gallery (naming it); a `TorchError` when libtorch cannot hold the scores.
    public init(
        gallery: FeatureMatrix, galleryLabels: [Int], probes: FeatureMatrix, probeLabels: [Int],
        distractors: FeatureMatrix? = nil, metric: SimilarityMetric = .cosine, probesPerBatch: Int = 1024
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
        guard probesPerBatch > 0 else {
            throw DataError.invalidArgument("probesPerBatch must be positive, got \(probesPerBatch)")
        }
        let named: [(FeatureMatrix?, String)] = [(gallery, "gallery"), (probes, "probe"), (distractors, "distractor")]
        for (matrix, name) in named {
            if let matrix, let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
                throw DataError.invalidArgument("\(name) row \(bad / matrix.columns) holds the non-finite feature "
                    + "\(matrix.values[bad])")
            }
        }
        // Identities become 0, 1, … in gallery order; distractors get −1, which no probe has.
        var identities: [Int: Int64] = [:]
        for label in galleryLabels where identities[label] == nil { identities[label] = Int64(identities.count) }
        let probeIdentities = try probeLabels.enumerated().map { probe, label in
            guard let identity = identities[label] else {
                throw DataError.invalidArgument("probe \(probe) has identity \(label), which the gallery does not "
                    + "hold: closed-set identification needs every probe identity enrolled")
            }
            return identity
        }
        let distractorCount = distractors?.rows ?? 0
        let galleryIdentities = galleryLabels.map { identities[$0]! }
        let entryIdentities = Tensor(galleryIdentities + Array(repeating: -1, count: distractorCount)).unsqueezed(0)
        let entries = try Tensor(gallery.values + (distractors?.values ?? []),
                                 shape: [gallery.rows + distractorCount, gallery.columns])
        let probeFeatures = try Tensor(probes.values, shape: [probes.rows, probes.columns])
        var ranks: [Int] = []
        ranks.reserveCapacity(probes.rows)
        try withTorchErrors {
            let scores = Self.scorer(entries: entries, metric: metric)
            for start in stride(from: 0, to: probes.rows, by: probesPerBatch) {
                let end = min(start + probesPerBatch, probes.rows)
                let batchScores = scores(probeFeatures[start..<end])
                let sameIdentity = Tensor(Array(probeIdentities[start..<end])).unsqueezed(1) .== entryIdentities
                let best = batchScores.maskedFill(.!sameIdentity, -.infinity).max(1, keepDim: true).values
                let impostors = ((batchScores .>= best) .& .!sameIdentity).sum(1)
                ranks += impostors.array(of: Int64.self).map { 1 + Int($0) }
            }
        }
        self.metric = metric
        self.ranks = ranks
        probeCount = probes.rows
        galleryCount = gallery.rows
        self.distractorCount = distractorCount
    }

    /// A function from `[B, D]` probes to their `[B, N]` scores against `entries` (`[N, D]`) that orders each
    /// probe's row as `metric` does. Euclidean scores are `p·g − |g|²/2`, which is −|p − g|²/2 shifted by a
    /// per-probe constant, so it ranks entries as the negative distance does.
    private static func scorer(entries: Tensor, metric: SimilarityMetric) -> (Tensor) -> Tensor {
        switch metric {
        case .cosine:
            // Normalizing maps a zero vector to zero, which scores 0 against everything, as SimilarityMetric does.
            let unitEntries = Functional.normalize(entries, dim: 1).transposed()
            return { Functional.normalize($0, dim: 1).matmul(unitEntries) }
        case .euclidean:
            let transposed = entries.transposed()
            let halfSquaredNorms = (entries * entries).sum(1).unsqueezed(0) * 0.5
            return { $0.matmul(transposed) - halfSquaredNorms }
        }
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
