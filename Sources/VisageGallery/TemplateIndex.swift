import Foundation
import Torch
import Visage

/// Exact search over one engine's templates: the templates, L2-normalized, loaded once as an N×D matrix, and a
/// batch of probes scored against all of them by one matrix product (cosine similarity).
public struct TemplateIndex {
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
        guard let first = templates.first else {
            throw GalleryError("the gallery holds no template of \(engine) to search")
        }
        let dimension = first.vector.count
        if let odd = templates.first(where: { $0.vector.count != dimension }) {
            throw GalleryError("templates of \(engine) differ in size: face \(first.face) has \(dimension) values, face "
                + "\(odd.face) \(odd.vector.count)")
        }
        self.engine = engine
        self.dimension = dimension
        faces = templates.map(\.face)
        people = templates.map(\.person)
        matrix = Self.normalizedMatrix(templates.map(\.vector), dimension: dimension)
    }

    static func normalizedMatrix(_ rows: [[Float]], dimension: Int) -> Tensor {
        let tensor = try! Tensor(rows.flatMap { $0 }, shape: [rows.count, dimension])
        return Functional.normalize(tensor, dim: 1)
    }

    /// Cosine similarities, `result[p][t]` of probe `p` and template `t`.
    /// - Throws: ``GalleryError`` when a probe's size is not the templates'.
    public func scores(_ probes: [[Float]]) throws -> [[Float]] {
        guard !probes.isEmpty else { return [] }
        if let odd = probes.first(where: { $0.count != dimension }) {
            throw GalleryError("a probe of \(odd.count) values cannot be searched among \(dimension)-value templates of \(engine)")
        }
        let product = Self.normalizedMatrix(probes, dimension: dimension).matmul(matrix.transposed(0, 1))
        let flat = product.contiguous().array(of: Float.self)
        return (0..<probes.count).map { Array(flat[($0 * faces.count)..<(($0 + 1) * faces.count)]) }
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
    }

    /// The `k` best people for each probe (each person's score is that of their best template; unassigned
    /// faces take no part), best first.
    public func rank(_ probes: [[Float]], k: Int) throws -> [[Candidate]] {
        try scores(probes).map { row in
            var best: [Int64: Candidate] = [:]
            for (index, score) in row.enumerated() {
                guard let person = people[index] else { continue }
                if best[person].map({ Double(score) > $0.score }) ?? true {
                    best[person] = Candidate(person: person, score: Double(score), face: faces[index])
                }
            }
            return Array(best.values.sorted { ($0.score, -$0.person) > ($1.score, -$1.person) }.prefix(k))
        }
    }

    /// The open-set decision on a ranked list: the first candidate when they score at least `threshold`, else
    /// nobody ("unknown").
    public static func decision(_ candidates: [Candidate], threshold: Double) -> Candidate? {
        guard let first = candidates.first, first.score >= threshold else { return nil }
        return first
    }
}
