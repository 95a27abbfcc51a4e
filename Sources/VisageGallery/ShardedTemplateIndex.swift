import Foundation
import Synchronization

/// One of `count` shards of a gallery's templates: the templates of faces whose id modulo `count` is `index`.
/// Face ids are handed out in sequence, so the shards stay within one template of each other's size as a gallery
/// grows, and each instance loads its own shard straight from the database (``GalleryStore/templates(engine:assignedOnly:unassignedOnly:shard:)``).
public struct TemplateShard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// Shard `index` of `count`.
    /// - Throws: ``GalleryError`` unless 0 ≤ `index` < `count`.
    public init(index: Int, of count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw GalleryError("shard \(index) of \(count) does not exist: shards are numbered 0 to count − 1")
        }
        self.index = index
        self.count = count
    }

    /// A shard written `INDEX/COUNT`, such as `0/4`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw GalleryError("'\(text)' is not a shard: write INDEX/COUNT, such as 0/4")
        }
        try self.init(index: index, of: count)
    }

    /// Whether the face's templates belong to this shard.
    public func contains(face: Int64) -> Bool { Int(face % Int64(count)) == index }

    public var description: String { "\(index)/\(count)" }
}

/// Exact search over templates split into shards, each with its own ``TemplateIndex`` (in one process here; one
/// per service instance when the gallery is served by several), and the coordinator's merge of their top-k lists.
public struct ShardedTemplateIndex {
    /// The shards' indexes; nil for a shard that holds no template.
    public let shards: [TemplateIndex?]
    public let engine: String

    /// Splits `templates` of `engine` into `count` shards by face id.
    /// - Throws: ``GalleryError`` when there are no templates or their sizes differ.
    public init(engine: String, templates: [StoredTemplate], count: Int) throws {
        let layout = try (0..<count).map { try TemplateShard(index: $0, of: count) }
        guard !templates.isEmpty else { throw GalleryError("the gallery holds no template of \(engine) to search") }
        if let odd = templates.first(where: { $0.vector.count != templates[0].vector.count }) {
            throw GalleryError("templates of \(engine) differ in size: face \(templates[0].face) has "
                + "\(templates[0].vector.count) values, face \(odd.face) \(odd.vector.count)")
        }
        self.engine = engine
        shards = try layout.map { shard in
            let own = templates.filter { shard.contains(face: $0.face) }
            return own.isEmpty ? nil : try TemplateIndex(engine: engine, templates: own)
        }
    }

    /// The `k` best people for each probe across every shard, best first: each shard ranks its own templates and
    /// ``merge(_:k:)`` joins the lists (the shards searched at once).
    public func rank(_ probes: [[Float]], k: Int) throws -> [[TemplateIndex.Candidate]] {
        // Each shard's index is read by one thread only.
        nonisolated(unsafe) let present = shards.compactMap { $0 }
        let results = Mutex<[Result<[[TemplateIndex.Candidate]], any Error>?]>(Array(repeating: nil, count: present.count))
        DispatchQueue.concurrentPerform(iterations: present.count) { shard in
            let result = Result { try present[shard].rank(probes, k: k) }
            results.withLock { $0[shard] = result }
        }
        return Self.merge(perShard: try results.withLock { $0 }.map { try $0!.get() }, probes: probes.count, k: k)
    }

    /// The coordinator's merge for each of `probes` probes of every shard's ranked lists (`perShard[shard][probe]`).
    public static func merge(perShard: [[[TemplateIndex.Candidate]]], probes: Int, k: Int) -> [[TemplateIndex.Candidate]] {
        (0..<probes).map { probe in merge(perShard.map { $0[probe] }, k: k) }
    }

    /// The coordinator's merge: the `k` best people of several shards' top-k lists, each person scored by their
    /// best template in any shard, ordered as ``TemplateIndex/rank(_:k:)`` orders them.
    ///
    /// This equals the top-k of one search over all the templates: a person in the overall top-k has their best
    /// template in some shard, and every person that shard ranks above them also scores above them overall, so
    /// fewer than `k` do and the shard's own top-k holds them.
    public static func merge(_ lists: [[TemplateIndex.Candidate]], k: Int) -> [TemplateIndex.Candidate] {
        Array(TemplateIndex.Candidate.bestPerPerson(lists.joined()).prefix(k))
    }
}
