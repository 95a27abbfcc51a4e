import Foundation
import Torch

/// A FAISS index (flat, IVF or HNSW) over one engine's L2-normalized templates: inner products are cosines.
public struct FaissTemplateIndex: TemplateSearch {
    public let engine: String
    public let faces: [Int64]
    public let people: [Int64?]
    public let dimension: Int
    public let kind: SearchIndexKind
    public let index: FaissIndex

    /// Builds (for IVF: trains on an evenly spaced sample, then fills) the index of `kind` over `vectors`, one row of
    /// `dimension` values per face, with libtorch's thread count (`VISAGE_THREADS`).
    /// - Throws: ``GalleryError`` for `.exact`, an empty or ragged matrix, parameters that do not fit, or what FAISS
    ///   refuses.
    public init(_ kind: SearchIndexKind, engine: String, faces: [Int64], people: [Int64?], vectors: [Float],
                dimension: Int, parameters: SearchIndexParameters = .init()) throws {
        guard kind != .exact else { throw GalleryError("exact search is TemplateIndex's, not a FAISS index") }
        guard dimension > 0, !faces.isEmpty else { throw GalleryError("the gallery holds no template of \(engine) to search") }
        guard faces.count == people.count, vectors.count == faces.count * dimension else {
            throw GalleryError("\(vectors.count) template values are not \(faces.count) rows of \(dimension)")
        }
        try parameters.validate(kind: kind, templates: faces.count)
        let threads = Runtime.threads
        let rows = TemplateSearchIndex.normalized(vectors, dimension: dimension)
        switch kind {
        case .exact:
            preconditionFailure("refused above")
        case .flat:
            index = try .flat(dimension: dimension)
        case .ivf:
            let cells = parameters.cells(templates: faces.count)
            index = try .ivf(dimension: dimension, nlist: cells)
            let sample = min(faces.count, parameters.trainingSampleLimit)
            var training: [Float] = []
            training.reserveCapacity(sample * dimension)
            for draw in 0..<sample {
                let row = draw * faces.count / sample
                training += rows[(row * dimension)..<((row + 1) * dimension)]
            }
            try index.train(training, threads: threads)
            try index.setProbes(parameters.probes(cells: cells))
        case .hnsw:
            index = try .hnsw(dimension: dimension, m: parameters.m, efConstruction: parameters.efConstruction)
            try index.setEfSearch(parameters.efSearch)
        }
        try index.add(rows, threads: threads)
        self.kind = kind
        self.engine = engine
        self.faces = faces
        self.people = people
        self.dimension = dimension
    }

    public func nearest(_ probes: [[Float]], k: Int) throws -> [[TemplateNeighbor]] {
        guard !probes.isEmpty else { return [] }
        guard k > 0 else { throw GalleryError("the number of templates to find must be positive, got \(k)") }
        let k = min(k, faces.count)
        let queries = try normalizedRows(probes, dimension: dimension, engine: engine)
        let (scores, labels) = try index.search(queries, k: k, threads: Runtime.threads)
        return probes.indices.map { probe in
            (0..<k).compactMap { column in
                let label = labels[probe * k + column]
                return label < 0 ? nil : TemplateNeighbor(row: Int(label), score: scores[probe * k + column])
            }
        }
    }
}
