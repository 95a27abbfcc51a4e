import Foundation
import Torch
import Visage

/// Exact search over one engine's templates: the templates, L2-normalized, loaded once as an N×D matrix, and a
/// batch of probes scored against all of them by one matrix product (cosine similarity). People are ranked by
/// ``TemplateSearch/rank(_:k:)``.
public struct TemplateIndex: TemplateSearch {
    /// The engine stamp of every template here.
    public let engine: String
    public let faces: [Int64]
    /// The person of each template's face (nil: unassigned).
    public let people: [Int64?]
    public let dimension: Int
    let matrix: Tensor

    /// Indexes `templates` of `engine`.
    /// - Throws: ``GalleryError`` when there are none or their dimensions differ.
    public init(engine: String, templates: [StoredTemplate]) throws {
        let rows = try TemplateRows(engine: engine, templates: templates)
        try self.init(engine: engine, faces: rows.faces, people: rows.people, vectors: rows.vectors, dimension: rows.dimension)
    }

    /// Indexes `vectors`, one row of `dimension` values per face.
    /// - Throws: ``GalleryError`` when there are no rows or the values are not one row per face.
    public init(engine: String, faces: [Int64], people: [Int64?], vectors: [Float], dimension: Int) throws {
        guard dimension > 0, !faces.isEmpty else { throw GalleryError("the gallery holds no template of \(engine) to search") }
        guard faces.count == people.count, vectors.count == faces.count * dimension else {
            throw GalleryError("\(vectors.count) template values are not \(faces.count) rows of \(dimension)")
        }
        self.engine = engine
        self.dimension = dimension
        self.faces = faces
        self.people = people
        matrix = Functional.normalize(try! Tensor(vectors, shape: [faces.count, dimension]), dim: 1)
    }

    public var kind: SearchIndexKind { .exact }

    /// Cosine similarities, `result[p][t]` of probe `p` and template `t`.
    /// - Throws: ``GalleryError`` when a probe's size is not the templates'.
    public func scores(_ probes: [[Float]]) throws -> [[Float]] {
        guard !probes.isEmpty else { return [] }
        let flat = try products(probes).contiguous().array(of: Float.self)
        return (0..<probes.count).map { Array(flat[($0 * faces.count)..<(($0 + 1) * faces.count)]) }
    }

    /// The `k` best templates of each probe by one matrix product and libtorch's top-k.
    public func nearest(_ probes: [[Float]], k: Int) throws -> [[TemplateNeighbor]] {
        guard !probes.isEmpty else { return [] }
        guard k > 0 else { throw GalleryError("the number of templates to find must be positive, got \(k)") }
        let k = min(k, faces.count)
        let (values, indices) = try products(probes).topk(k, dim: 1)
        let scores = values.contiguous().array(of: Float.self)
        let rows = indices.contiguous().array(of: Int64.self)
        return probes.indices.map { probe in
            (0..<k).map { TemplateNeighbor(row: Int(rows[probe * k + $0]), score: scores[probe * k + $0]) }
        }
    }

    /// The probes×templates matrix of cosine similarities.
    private func products(_ probes: [[Float]]) throws -> Tensor {
        let rows = try normalizedRows(probes, dimension: dimension, engine: engine)
        return try! Tensor(rows, shape: [probes.count, dimension]).matmul(matrix.transposed(0, 1))
    }

    /// For each template, the templates scoring at least `threshold` with it (itself included), computed a block of
    /// rows at a time so that memory grows with the links, not with the square of the templates.
    public func links(atLeast threshold: Double, blockRows: Int = 1024) -> [[Int]] {
        let transposed = matrix.transposed(0, 1)
        var links: [[Int]] = []
        links.reserveCapacity(faces.count)
        for start in stride(from: 0, to: faces.count, by: blockRows) {
            let rows = min(blockRows, faces.count - start)
            let scores = matrix.narrow(0, start: start, length: rows).matmul(transposed).contiguous().array(of: Float.self)
            for row in 0..<rows {
                let offset = row * faces.count
                links.append((0..<faces.count).filter { $0 == start + row || Double(scores[offset + $0]) >= threshold })
            }
        }
        return links
    }

    /// A person ranked for a probe: their best-scoring template.
    public struct Candidate: Sendable, Equatable {
        public var person: Int64
        public var score: Double
        /// The face whose template scored best.
        public var face: Int64

        public init(person: Int64, score: Double, face: Int64) {
            self.person = person
            self.score = score
            self.face = face
        }

        /// Each person of `candidates` once, with their best-scoring candidate (the first seen of equal scores),
        /// best first; ties in score go to the lower person id.
        static func bestPerPerson(_ candidates: some Sequence<Candidate>) -> [Candidate] {
            var best: [Int64: Candidate] = [:]
            for candidate in candidates where best[candidate.person].map({ candidate.score > $0.score }) ?? true {
                best[candidate.person] = candidate
            }
            return best.values.sorted { ($0.score, -$0.person) > ($1.score, -$1.person) }
        }
    }

    /// The open-set decision on a ranked list: the first candidate when they score at least `threshold`, else
    /// nobody ("unknown").
    public static func decision(_ candidates: [Candidate], threshold: Double) -> Candidate? {
        guard let first = candidates.first, first.score >= threshold else { return nil }
        return first
    }
}
