import Foundation
import Testing
import Visage
@testable import VisageGallery

/// Templates split into shards by face id, each searched with its own index, and the coordinator's merged top-k.
@Suite("Gallery shards")
struct GalleryShardTests {
    typealias Candidate = TemplateIndex.Candidate

    @Test("The coordinator keeps each person's best score across shards, orders ties by person and cuts at k")
    func mergeWorkedExample() {
        let shard0 = [Candidate(person: 1, score: 0.9, face: 10), Candidate(person: 2, score: 0.7, face: 20),
                      Candidate(person: 3, score: 0.5, face: 30)]
        let shard1 = [Candidate(person: 2, score: 0.8, face: 21), Candidate(person: 4, score: 0.5, face: 41),
                      Candidate(person: 1, score: 0.2, face: 11)]
        #expect(ShardedTemplateIndex.merge([shard0, shard1], k: 3)
            == [Candidate(person: 1, score: 0.9, face: 10), Candidate(person: 2, score: 0.8, face: 21),
                Candidate(person: 3, score: 0.5, face: 30)])
        #expect(ShardedTemplateIndex.merge([shard1, shard0], k: 4).map(\.person) == [1, 2, 3, 4])
        #expect(ShardedTemplateIndex.merge([[], shard1], k: 1) == [Candidate(person: 2, score: 0.8, face: 21)])
        #expect(ShardedTemplateIndex.merge([], k: 3).isEmpty)
    }

    @Test("Merged top-k over 1 to 5 shards equals the unsharded search of the same gallery")
    func shardedEqualsUnsharded() throws {
        var random = SeededRandom(seed: 11)
        // 30 people with 1 to 4 templates each, face ids in enrollment order, and an unassigned face.
        var templates: [StoredTemplate] = []
        for person in 1...30 {
            for _ in 0..<(person % 4 + 1) {
                templates.append(StoredTemplate(face: Int64(templates.count + 1), person: Int64(person),
                                                vector: GalleryFixtures.unitVector(16, &random)))
            }
        }
        templates.append(StoredTemplate(face: Int64(templates.count + 1), person: nil, vector: GalleryFixtures.unitVector(16, &random)))
        // Probes: random ones and near-copies of stored templates (close scores between shards).
        let probes = (0..<20).map { _ in GalleryFixtures.unitVector(16, &random) }
            + templates.prefix(10).map { template in template.vector.map { $0 + 0.05 * Float(random.normal()) } }
        let whole = try TemplateIndex(engine: "e", templates: templates).rank(probes, k: 5)
        for count in 1...5 {
            let sharded = try ShardedTemplateIndex(engine: "e", templates: templates, count: count)
            #expect(sharded.shards.compactMap { $0 }.map(\.faces.count).reduce(0, +) == templates.count)
            let merged = try sharded.rank(probes, k: 5)
            for (expected, got) in zip(whole, merged) {
                #expect(got.map(\.person) == expected.map(\.person), "\(count) shards")
                #expect(got.map(\.face) == expected.map(\.face), "\(count) shards")
                #expect(zip(got, expected).allSatisfy { abs($0.score - $1.score) < 1e-5 })
            }
        }
    }

    @Test("More shards than templates leave some empty; the search still answers")
    func emptyShards() throws {
        let templates = [StoredTemplate(face: 3, person: 1, vector: [1, 0]), StoredTemplate(face: 5, person: 2, vector: [0, 1])]
        let sharded = try ShardedTemplateIndex(engine: "e", templates: templates, count: 4)
        // Faces 3 and 5 fall in shards 3 and 1.
        #expect(sharded.shards.map { $0?.faces } == [nil, [5], nil, [3]])
        #expect(try sharded.rank([[1, 0.1]], k: 2).map { $0.map(\.person) } == [[1, 2]])
    }

    @Test("Shards are written INDEX/COUNT; a shard outside 0..<COUNT is refused")
    func shardNames() throws {
        #expect(try TemplateShard("1/4") == TemplateShard(index: 1, of: 4))
        #expect(try TemplateShard("1/4").contains(face: 9) && !TemplateShard("1/4").contains(face: 8))
        for bad in ["4/4", "-1/2", "0/0", "1", "a/b", "1/2/3"] {
            #expect(throws: GalleryError.self, "\(bad)") { try TemplateShard(bad) }
        }
    }

    @Test("Each instance loads its own shard from the store: the shards part the templates", arguments: GalleryBackend.available)
    func storeShards(backend: GalleryBackend) throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let store = try GalleryFixtures.gallery(in: folder, backend)
        var random = SeededRandom(seed: 3)
        for index in 0..<10 {
            _ = try store.enroll(GalleryFixtures.photo("\(index).jpg", person: "p\(index % 3)",
                                                       templates: [GalleryFixtures.unitVector(8, &random)]), engine: "tiny-a")
        }
        let all = try store.templates(engine: "tiny-a")
        let shards = try (0..<3).map { try store.templates(engine: "tiny-a", shard: TemplateShard(index: $0, of: 3)) }
        #expect(shards.map(\.count) == [3, 4, 3])
        #expect(shards.joined().sorted { $0.face < $1.face } == all)
        for (index, shard) in shards.enumerated() { #expect(shard.allSatisfy { $0.face % 3 == Int64(index) }) }
    }
}
