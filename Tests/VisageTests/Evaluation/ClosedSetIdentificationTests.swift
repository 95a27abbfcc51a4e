import Testing
@testable import Visage

/// Ranks, CMC and top-k of closed-set identification on a hand-made 2-D gallery.
@Suite("Closed-set identification")
struct ClosedSetIdentificationTests {
    // Gallery: identity 0 at (1, 0), 1 at (0, 1), 2 at (−1, 0).
    static let gallery = try! FeatureMatrix(rows: 3, columns: 2, values: [1, 0, 0, 1, -1, 0])
    // Probe of 0 nearest its own entry; of 1 nearer 0 than 1; of 2 nearest 0, then 1, then 2.
    static let probes = try! FeatureMatrix(rows: 3, columns: 2, values: [0.9, 0.1, 0.6, 0.4, 1, 0.1])

    @Test("ranks and the cumulative match curve")
    func ranks() throws {
        let result = try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: Self.probes,
                                                 probeLabels: [0, 1, 2])
        #expect(result.ranks == [1, 2, 3])
        let cmc = result.cumulativeMatch(maxRank: 4)
        #expect(abs(cmc[0] - 100.0 / 3) < 1e-9 && abs(cmc[1] - 200.0 / 3) < 1e-9 && cmc[2] == 100 && cmc[3] == 100)
        #expect(abs(result.top1 - 100.0 / 3) < 1e-9 && result.top5 == 100)
    }

    @Test("distractors push probes down; ties count against the probe")
    func distractors() throws {
        // (1, 0) ties with identity 0's entry; (0.1, 1) is nearer probe 1 than identity 1's entry.
        let distractors = try FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0.1, 1])
        let result = try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: Self.probes,
                                                 probeLabels: [0, 1, 2], distractors: distractors)
        #expect(result.ranks == [2, 4, 5])
        #expect(result.distractorCount == 2 && result.galleryCount == 3)
    }

    @Test("cosine ignores feature length and batches of probes give the same ranks", arguments: [1, 2, 1024])
    func batches(probesPerBatch: Int) throws {
        // Probe 1 (label 1) is nearer identity 2 than its own; probe 2 (label 1) is long but along y.
        let probes = try FeatureMatrix(rows: 3, columns: 2, values: [0.9, 0.1, -1, 0.2, 0, 5])
        let result = try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: probes,
                                                 probeLabels: [0, 1, 1], probesPerBatch: probesPerBatch)
        #expect(result.ranks == [1, 2, 1])
        #expect(abs(result.top1 - 200.0 / 3) < 1e-9)
    }

    @Test("ranks agree with scoring every probe against every entry one by one", arguments: SimilarityMetric.allCases)
    func matchesPairwiseScores(metric: SimilarityMetric) throws {
        var random = SeededRandom(seed: 7)
        func features(_ rows: Int) throws -> FeatureMatrix {
            try FeatureMatrix(rows: rows, columns: 6, values: (0..<rows * 6).map { _ in Float(random.normal()) })
        }
        let gallery = try features(12), probes = try features(20)
        // A zero distractor scores 0 against every probe under cosine.
        let distractors = try FeatureMatrix(rows: 6, columns: 6,
                                            values: features(5).values + Array(repeating: 0, count: 6))
        let galleryLabels = (0..<12).map { $0 % 5 }, probeLabels = (0..<20).map { $0 % 5 }
        let result = try ClosedSetIdentification(
            gallery: gallery, galleryLabels: galleryLabels, probes: probes, probeLabels: probeLabels,
            distractors: distractors, metric: metric, probesPerBatch: 7)
        let expected = (0..<20).map { probe in
            let own = (0..<12).filter { galleryLabels[$0] == probeLabels[probe] }
                .map { metric.score(probes.row(probe), gallery.row($0)) }.max()!
            let impostors = (0..<12).filter { galleryLabels[$0] != probeLabels[probe] }
                .map { gallery.row($0) } + (0..<6).map { distractors.row($0) }
            return 1 + impostors.count { metric.score(probes.row(probe), $0) >= own }
        }
        #expect(result.ranks == expected)
        #expect(Set(expected).count > 2)
    }

    @Test("mismatched dimensions, label counts and unenrolled probes throw")
    func badInput() throws {
        let wide = try FeatureMatrix(rows: 1, columns: 3, values: [1, 0, 0])
        #expect(throws: DataError.invalidArgument("probe features are 3-dimensional, gallery features 2-dimensional")) {
            try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: wide, probeLabels: [0])
        }
        #expect(throws: DataError.self) {
            try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1], probes: Self.probes,
                                        probeLabels: [0, 1, 2])
        }
        #expect(throws: DataError.self) {
            try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: Self.probes,
                                        probeLabels: [0, 1, 7])
        }
        let broken = try FeatureMatrix(rows: 3, columns: 2, values: [1, 0, 0, .nan, -1, 0])
        #expect(throws: DataError.invalidArgument("probe row 1 holds the non-finite feature nan")) {
            try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: broken,
                                        probeLabels: [0, 1, 2])
        }
        #expect(throws: DataError.self) {
            try ClosedSetIdentification(gallery: Self.gallery, galleryLabels: [0, 1, 2], probes: Self.probes,
                                        probeLabels: [0, 1, 2], probesPerBatch: 0)
        }
    }
}
