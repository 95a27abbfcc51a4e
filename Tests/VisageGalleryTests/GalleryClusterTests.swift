import Testing
import Visage
@testable import VisageGallery

/// Chinese whispers and the cluster agreement measures on small worked examples.
@Suite("Gallery clustering")
struct GalleryClusterTests {
    @Test("Two linked triples and a loner become three clusters, whatever the seed")
    func chineseWhispers() {
        let groups = [0, 0, 0, 1, 1, 1, 2]
        let similarity: [[Float]] = groups.indices.map { i in
            groups.indices.map { j in i == j ? 1 : groups[i] == groups[j] && groups[i] != 2 ? 0.9 : 0.1 }
        }
        for seed: UInt64 in [0, 1, 2] {
            #expect(ChineseWhispers.cluster(similarity: similarity, threshold: 0.5, seed: seed) == [0, 0, 0, 1, 1, 1, 2])
        }
        // Above every link, each face is its own cluster; below every score, one cluster.
        #expect(ChineseWhispers.cluster(similarity: similarity, threshold: 0.95) == [0, 1, 2, 3, 4, 5, 6])
        #expect(Set(ChineseWhispers.cluster(similarity: similarity, threshold: 0.05)).count == 1)
    }

    @Test("The index's blockwise links are the links of the full similarity matrix")
    func blockwiseLinks() throws {
        var random = SeededRandom(seed: 9)
        let templates = (0..<50).map { StoredTemplate(face: Int64($0), person: nil, vector: GalleryFixtures.unitVector(4, &random)) }
        let index = try TemplateIndex(engine: "e", templates: templates)
        let similarity = try index.scores(templates.map(\.vector))
        let expected = similarity.indices.map { i in similarity.indices.filter { $0 == i || similarity[i][$0] >= 0.6 } }
        #expect(index.links(atLeast: 0.6, blockRows: 7) == expected)
        #expect(expected.contains { $0.count > 1 } && expected.contains { $0.count < 50 })
        #expect(ChineseWhispers.cluster(links: expected, seed: 3)
            == ChineseWhispers.cluster(similarity: similarity, threshold: 0.6, seed: 3))
    }

    @Test("Purity, pairwise F-measure, split people and merged clusters of a worked example")
    func agreement() {
        // Clusters {a, a, b}, {b, b}, {b}: purity 5/6; pairs together 4, of one person 7, both 2.
        let agreement = ClusterAgreement(clusters: [0, 0, 0, 1, 1, 2], identities: ["a", "a", "b", "b", "b", "b"])
        #expect(abs(agreement.purity - 5.0 / 6) < 1e-12)
        #expect(abs(agreement.pairwisePrecision - 0.5) < 1e-12 && abs(agreement.pairwiseRecall - 2.0 / 7) < 1e-12)
        #expect(abs(agreement.pairwiseF - 2 * 0.5 * (2.0 / 7) / (0.5 + 2.0 / 7)) < 1e-12)
        #expect(agreement.splitPeople == 1 && agreement.mergedClusters == 1)
        #expect(agreement.clusters == 3 && agreement.identities == 2)
        let perfect = ClusterAgreement(clusters: [3, 3, 9], identities: ["x", "x", "y"])
        #expect(perfect.purity == 1 && perfect.pairwiseF == 1 && perfect.splitPeople == 0 && perfect.mergedClusters == 0)
    }
}
