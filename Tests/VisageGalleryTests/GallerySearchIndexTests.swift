import Foundation
import Testing
import VisageCore
@testable import VisageGallery

/// The search-index kinds (exact, FAISS flat, IVF, HNSW): same form of results, measured recall, refused parameters.
@Suite("Gallery search indexes")
struct GallerySearchIndexTests {
    /// `clusters` random unit centres with `each` templates apiece drawn around them (person = cluster), and
    /// `probes` further draws around random centres.
    static func clustered(clusters: Int, each: Int, probes: Int, dimension: Int, spread: Double, seed: UInt64)
        -> (templates: [StoredTemplate], probes: [[Float]])
    {
        var random = SeededRandom(seed: seed)
        let centres = (0..<clusters).map { _ in GalleryFixtures.unitVector(dimension, &random) }
        func draw(_ centre: [Float]) -> [Float] { centre.map { $0 + Float(random.normal(mean: 0, deviation: spread)) } }
        var templates: [StoredTemplate] = []
        for (cluster, centre) in centres.enumerated() {
            for _ in 0..<each {
                templates.append(StoredTemplate(face: Int64(templates.count + 1), person: Int64(cluster + 1), vector: draw(centre)))
            }
        }
        return (templates, (0..<probes).map { _ in draw(centres[random.index(below: clusters)]) })
    }

    @Test("FAISS flat finds the same templates, scores and people as the exact matrix product")
    func flatEqualsExact() throws {
        // A worked case: the probe (1, 1, 0)/√2 scores 1/√2 with (1, 0, 0) and (0, 1, 0), 1 with (2, 2, 0) (cosine
        // ignores length), 0 with (0, 0, 1) and -1/√2 with (-1, 0, 0).
        let templates = [
            StoredTemplate(face: 10, person: 1, vector: [1, 0, 0]), StoredTemplate(face: 11, person: 2, vector: [0, 1, 0]),
            StoredTemplate(face: 12, person: 2, vector: [2, 2, 0]), StoredTemplate(face: 13, person: 3, vector: [0, 0, 1]),
            StoredTemplate(face: 14, person: 4, vector: [-1, 0, 0]),
        ]
        let exact = try TemplateSearchIndex.build(.exact, engine: "e", templates: templates)
        let flat = try TemplateSearchIndex.build(.flat, engine: "e", templates: templates)
        #expect(exact.kind == .exact && flat.kind == .flat)
        let probe: [Float] = [1, 1, 0]
        let found = try flat.nearest([probe], k: 5)[0]
        #expect(found.map(\.row) == [2, 0, 1, 3, 4] || found.map(\.row) == [2, 1, 0, 3, 4])
        let half = Float(0.5).squareRoot()
        let expected: [Float] = [1, half, half, 0, -half]
        for (neighbor, score) in zip(found, expected) { #expect(abs(neighbor.score - score) < 1e-6) }
        let ranked = try flat.rank([probe], k: 3)[0]
        #expect(ranked.map(\.person) == [2, 1, 3] && ranked.map(\.face) == [12, 10, 13])
        let exactRanked = try exact.rank([probe], k: 3)[0]
        #expect(exactRanked.map(\.person) == ranked.map(\.person) && exactRanked.map(\.face) == ranked.map(\.face))
        #expect(zip(exactRanked, ranked).allSatisfy { abs($0.score - $1.score) < 1e-6 })
        // Random clustered data: the same top-5 templates for every probe.
        let data = Self.clustered(clusters: 30, each: 10, probes: 40, dimension: 32, spread: 0.1, seed: 3)
        let exactBig = try TemplateSearchIndex.build(.exact, engine: "e", templates: data.templates)
        let flatBig = try TemplateSearchIndex.build(.flat, engine: "e", templates: data.templates)
        let a = try exactBig.nearest(data.probes, k: 5), b = try flatBig.nearest(data.probes, k: 5)
        #expect(a.map { $0.map(\.row) } == b.map { $0.map(\.row) })
        #expect(zip(a, b).allSatisfy { zip($0, $1).allSatisfy { abs($0.score - $1.score) < 1e-5 } })
        #expect(try exactBig.rank(data.probes, k: 3).map { $0.map(\.person) } == flatBig.rank(data.probes, k: 3).map { $0.map(\.person) })
    }

    @Test("IVF and HNSW find exact search's best template for at least 95% of probes on clustered data", arguments: [SearchIndexKind.ivf, .hnsw])
    func approximateRecall(kind: SearchIndexKind) throws {
        let data = Self.clustered(clusters: 100, each: 30, probes: 300, dimension: 64, spread: 0.08, seed: 7)
        let exact = try TemplateSearchIndex.build(.exact, engine: "e", templates: data.templates)
        let parameters = SearchIndexParameters(nlist: 64, nprobe: 8, m: 16, efSearch: 32)
        let index = try TemplateSearchIndex.build(kind, engine: "e", templates: data.templates, parameters: parameters)
        #expect(index.kind == kind)
        let truth = try exact.nearest(data.probes, k: 1).map { $0[0].row }
        let found = try index.nearest(data.probes, k: 1).map { $0.first?.row }
        let recall = Double(zip(truth, found).filter { $0 == $1 }.count) / Double(truth.count)
        #expect(recall >= 0.95, "recall@1 \(recall)")
        // Same form as exact: k people, each once, best first, scored by cosine.
        let ranked = try index.rank(data.probes, k: 5)
        #expect(ranked.allSatisfy { $0.count == 5 && Set($0.map(\.person)).count == 5 })
        #expect(ranked.allSatisfy { zip($0, $0.dropFirst()).allSatisfy { $0.score >= $1.score } && $0[0].score <= 1.0001 })
    }

    @Test("Parameters FAISS cannot use are refused with the value named, FAISS's own errors included")
    func badParameters() throws {
        let data = Self.clustered(clusters: 5, each: 4, probes: 1, dimension: 8, spread: 0.1, seed: 1)
        func refusal(_ kind: SearchIndexKind, _ parameters: SearchIndexParameters) -> String? {
            #expect(throws: GalleryError.self) {
                try TemplateSearchIndex.build(kind, engine: "e", templates: data.templates, parameters: parameters)
            }?.message
        }
        #expect(refusal(.ivf, .init(nlist: 0))?.contains("nlist must be at least 1, got 0") == true)
        #expect(refusal(.ivf, .init(nlist: 21))?.contains("nlist 21 is more IVF cells than the 20 templates") == true)
        #expect(refusal(.ivf, .init(nlist: 4, nprobe: 5))?.contains("nprobe must be 1…4 (nlist), got 5") == true)
        #expect(refusal(.hnsw, .init(m: 1))?.contains("M must be at least 2, got 1") == true)
        #expect(refusal(.hnsw, .init(efSearch: 0))?.contains("efSearch must be at least 1, got 0") == true)
        // Through the shim: FAISS throws a C++ exception for adding to an untrained IVF index; it arrives as an error.
        let untrained = try FaissIndex.ivf(dimension: 8, nlist: 2)
        let shim = #expect(throws: GalleryError.self) { try untrained.add([Float](repeating: 0.5, count: 16), threads: 1) }
        #expect(shim?.message.contains("FAISS failed adding vectors") == true && shim?.message.contains("is_trained") == true)
        #expect(throws: GalleryError.self) { try FaissIndex.flat(dimension: 0) }
        #expect(throws: GalleryError.self) { try untrained.setEfSearch(8) }
        // A probe of the wrong size, and k of zero.
        let flat = try TemplateSearchIndex.build(.flat, engine: "e", templates: data.templates)
        #expect(throws: GalleryError.self) { try flat.nearest([[1, 0]], k: 1) }
        #expect(throws: GalleryError.self) { try flat.rank(data.probes, k: 0) }
    }

    @Test("Without a named kind, galleries up to the exact limit are searched exactly and larger ones by HNSW")
    func automaticKind() {
        #expect(SearchIndexKind.automatic(templates: 1) == .exact)
        #expect(SearchIndexKind.automatic(templates: SearchIndexKind.automaticExactLimit) == .exact)
        #expect(SearchIndexKind.automatic(templates: SearchIndexKind.automaticExactLimit + 1) == .hnsw)
    }
}
