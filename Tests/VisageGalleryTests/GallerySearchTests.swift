import Foundation
import Testing
import Torch
import Visage
@testable import VisageGallery

/// Identification against the store, beside the same search done in memory; engines kept apart.
@Suite("Gallery search")
struct GallerySearchTests {
    @Test("Top-k through the store equals a brute-force search in memory; the open-set decision follows the threshold", arguments: GalleryBackend.available)
    func identifyMatchesMemory(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let store = try GalleryFixtures.gallery(in: folder, backend)
        var random = SeededRandom(seed: 5)
        var reference: [(person: String, vector: [Float])] = []
        for person in 0..<20 {
            for shot in 0..<3 {
                let vector = GalleryFixtures.unitVector(16, &random)
                reference.append(("p\(person)", vector))
                _ = try store.enroll(GalleryFixtures.photo("\(person)-\(shot)", person: "p\(person)", templates: [vector]),
                                     engine: "tiny-a")
            }
        }
        // An unassigned face takes no part.
        _ = try store.enroll(GalleryFixtures.photo("stranger", person: nil, templates: [GalleryFixtures.unitVector(16, &random)]),
                             engine: "tiny-a")
        let index = try TemplateIndex(engine: "tiny-a", templates: store.templates(engine: "tiny-a", assignedOnly: true))
        #expect(index.faces.count == 60)
        let probes = (0..<15).map { _ in GalleryFixtures.unitVector(16, &random) } + [reference[7].vector]
        let names = try store.personNames()
        let ranked = try index.rank(probes, k: 3)
        for (probe, candidates) in zip(probes, ranked) {
            var best: [String: Double] = [:]
            for (person, vector) in reference {
                let score = Double(zip(probe, vector).reduce(0) { $0 + $1.0 * $1.1 })
                best[person] = max(best[person] ?? -2, score)
            }
            let expected = best.sorted { $0.value > $1.value }.prefix(3)
            #expect(candidates.map { names[$0.person]! } == expected.map(\.key))
            for (candidate, (_, score)) in zip(candidates, expected) { #expect(abs(candidate.score - score) < 1e-5) }
        }
        #expect(names[ranked[15][0].person] == "p2" && abs(ranked[15][0].score - 1) < 1e-5)
        #expect(TemplateIndex.decision(ranked[15], threshold: 0.99).map { names[$0.person] } == "p2")
        #expect(TemplateIndex.decision(ranked[0], threshold: ranked[0][0].score + 0.01) == nil)
    }

    @Test("Templates of another engine are neither stored by a stale enroll nor searched silently", arguments: GalleryBackend.available)
    func mixedEnginesRefused(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let store = try GalleryFixtures.gallery(in: folder, backend)
        var random = SeededRandom(seed: 2)
        for name in ["Ann", "Bob"] {
            _ = try store.enroll(GalleryFixtures.photo(name, person: name, templates: [GalleryFixtures.unitVector(8, &random)]),
                                 engine: "tiny-a")
        }
        // An enroll still running with the old engine after a migration is refused, not mixed in.
        let stale = #expect(throws: GalleryError.self) {
            try store.enroll(GalleryFixtures.photo("Cy", person: "Cy", templates: [GalleryFixtures.unitVector(8, &random)]),
                             engine: "tiny-b")
        }
        #expect(stale?.message.contains("now uses tiny-a, but these templates are of tiny-b") == true)
        #expect(try store.counts().photos == 2)
        // A gallery moved to tiny-b with only Ann's face carried over: searching tiny-b would leave Bob out.
        let ann = try store.templates(engine: "tiny-a")[0].face
        try store.storeMigrated([(ann, GalleryFixtures.unitVector(8, &random), .extracted)], engine: "tiny-b",
                                reference: "tiny-b", summary: "test")
        let error = #expect(throws: GalleryError.self) { try store.requireCoverage(of: "tiny-b", assignedOnly: true) }
        #expect(error?.message.contains("1 enrolled face(s) have no template of tiny-b") == true)
        #expect(error?.message.contains("tiny-a (2 templates), tiny-b (1 templates)") == true)
        try store.requireCoverage(of: "tiny-a", assignedOnly: true)
    }

    @Test("Templates of different sizes, or a probe of another size, are refused with the sizes named")
    func sizesChecked() throws {
        let odd = [StoredTemplate(face: 1, person: 1, vector: [1, 0]), StoredTemplate(face: 2, person: 1, vector: [1, 0, 0])]
        #expect(throws: GalleryError.self) { try TemplateIndex(engine: "e", templates: odd) }
        let index = try TemplateIndex(engine: "e", templates: [StoredTemplate(face: 1, person: 1, vector: [1, 0])])
        let error = #expect(throws: GalleryError.self) { try index.rank([[1, 0, 0]], k: 1) }
        #expect(error?.message.contains("3 values") == true)
        #expect(throws: GalleryError.self) { try TemplateIndex(engine: "e", templates: []) }
    }
}
