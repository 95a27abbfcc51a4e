import Foundation

/// One template found for a probe: its row in the index and its cosine similarity with the probe.
public struct TemplateNeighbor: Sendable, Equatable {
    public var row: Int
    public var score: Float

    public init(row: Int, score: Float) {
        self.row = row
        self.score = score
    }
}

/// A search over one engine's templates, whatever its kind: the exact matrix product (``TemplateIndex``) or a
/// FAISS index (``FaissTemplateIndex``). Every kind scores by cosine similarity and ranks people the same way.
public protocol TemplateSearch {
    /// The engine stamp of every template here.
    var engine: String { get }
    /// The face of each row.
    var faces: [Int64] { get }
    /// The person of each row's face (nil: unassigned).
    var people: [Int64?] { get }
    var dimension: Int { get }
    var kind: SearchIndexKind { get }

    /// The `k` best rows for each probe, best first (fewer where an approximate index reaches fewer).
    /// - Throws: ``GalleryError`` when a probe's size is not the templates'.
    func nearest(_ probes: [[Float]], k: Int) throws -> [[TemplateNeighbor]]
}

extension TemplateSearch {
    /// The `k` best people for each probe (each person's score is that of their best template found; unassigned
    /// faces take no part), best first. Asks the index for 4k templates, doubling that for probes whose
    /// templates name fewer than k people, until k people or every template are reached.
    public func rank(_ probes: [[Float]], k: Int) throws -> [[TemplateIndex.Candidate]] {
        guard k > 0 else { throw GalleryError("the number of people to rank must be positive, got \(k)") }
        var ranked = [[TemplateIndex.Candidate]](repeating: [], count: probes.count)
        var pending = Array(probes.indices)
        var fetch = min(faces.count, 4 * k)
        while !pending.isEmpty {
            let found = try nearest(pending.map { probes[$0] }, k: fetch)
            var unfinished: [Int] = []
            for (probe, neighbors) in zip(pending, found) {
                let candidates = self.candidates(neighbors)
                if candidates.count >= k || fetch >= faces.count || neighbors.count < fetch {
                    ranked[probe] = Array(candidates.prefix(k))
                } else {
                    unfinished.append(probe)
                }
            }
            pending = unfinished
            fetch = min(faces.count, 2 * fetch)
        }
        return ranked
    }

    /// Each person of `neighbors` once, with their best template, best first (ties: the lower person id).
    func candidates(_ neighbors: [TemplateNeighbor]) -> [TemplateIndex.Candidate] {
        TemplateIndex.Candidate.bestPerPerson(neighbors.lazy.compactMap { neighbor -> TemplateIndex.Candidate? in
            people[neighbor.row].map { .init(person: $0, score: Double(neighbor.score), face: faces[neighbor.row]) }
        })
    }
}

/// Builds the search index of `kind` for one engine's templates.
public enum TemplateSearchIndex {
    /// The index of `kind` (nil: ``SearchIndexKind/automatic(templates:)``) over `templates`.
    /// - Throws: ``GalleryError`` when there are none, their sizes differ, or the parameters do not fit.
    public static func build(_ kind: SearchIndexKind?, engine: String, templates: [StoredTemplate],
                             parameters: SearchIndexParameters = .init()) throws -> any TemplateSearch {
        let rows = try TemplateRows(engine: engine, templates: templates)
        return try build(kind, engine: engine, faces: rows.faces, people: rows.people, vectors: rows.vectors,
                         dimension: rows.dimension, parameters: parameters)
    }

    /// The index of `kind` over `vectors`, one row (of `dimension` values, normalized here) per face.
    public static func build(_ kind: SearchIndexKind?, engine: String, faces: [Int64], people: [Int64?], vectors: [Float],
                             dimension: Int, parameters: SearchIndexParameters = .init()) throws -> any TemplateSearch {
        switch kind ?? .automatic(templates: faces.count) {
        case .exact:
            return try TemplateIndex(engine: engine, faces: faces, people: people, vectors: vectors, dimension: dimension)
        case let faissKind:
            return try FaissTemplateIndex(faissKind, engine: engine, faces: faces, people: people, vectors: vectors,
                                          dimension: dimension, parameters: parameters)
        }
    }

    /// Each `dimension`-value row of `values` divided by its L2 norm (a zero row stays zero).
    public static func normalized(_ values: [Float], dimension: Int) -> [Float] {
        var result = values
        result.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: dimension) {
                var sum: Float = 0
                for index in start..<(start + dimension) { sum += buffer[index] * buffer[index] }
                let scale = sum > 0 ? 1 / sum.squareRoot() : 0
                for index in start..<(start + dimension) { buffer[index] *= scale }
            }
        }
        return result
    }
}

/// Stored templates as one row-major matrix with each row's face and person.
struct TemplateRows {
    var faces: [Int64]
    var people: [Int64?]
    var vectors: [Float]
    var dimension: Int

    /// - Throws: ``GalleryError`` when there are no templates or their sizes differ.
    init(engine: String, templates: [StoredTemplate]) throws {
        guard let first = templates.first else { throw GalleryError("the gallery holds no template of \(engine) to search") }
        dimension = first.vector.count
        if let odd = templates.first(where: { $0.vector.count != first.vector.count }) {
            throw GalleryError("templates of \(engine) differ in size: face \(first.face) has \(first.vector.count) values, "
                + "face \(odd.face) \(odd.vector.count)")
        }
        faces = templates.map(\.face)
        people = templates.map(\.person)
        vectors = []
        vectors.reserveCapacity(templates.count * dimension)
        for template in templates { vectors += template.vector }
    }
}

/// `rows` (each `dimension` values) L2-normalized into one row-major array.
/// - Throws: ``GalleryError`` naming the first row whose size is not `dimension`.
func normalizedRows(_ rows: [[Float]], dimension: Int, engine: String) throws -> [Float] {
    if let odd = rows.first(where: { $0.count != dimension }) {
        throw GalleryError("a probe of \(odd.count) values cannot be searched among \(dimension)-value templates of \(engine)")
    }
    return TemplateSearchIndex.normalized(rows.flatMap { $0 }, dimension: dimension)
}

