import CFaiss
import Foundation

/// A FAISS index searched by inner product (flat, IVF-flat or HNSW-flat) through the `CFaiss` shim; FAISS's
/// errors come back as thrown ``GalleryError``s.
public final class FaissIndex: @unchecked Sendable {
    // @unchecked: after building, only `search` is called, which FAISS allows from several threads at once.
    private let handle: cfaiss_index
    public let dimension: Int

    /// An empty exhaustive index.
    public static func flat(dimension: Int) throws -> FaissIndex {
        try FaissIndex(dimension: dimension) { cfaiss_flat_create(Int32(dimension), &$0) }
    }

    /// An empty IVF-flat index of `nlist` cells, to be trained before vectors are added.
    public static func ivf(dimension: Int, nlist: Int) throws -> FaissIndex {
        try FaissIndex(dimension: dimension) { cfaiss_ivf_create(Int32(dimension), Int32(clamping: nlist), &$0) }
    }

    /// An empty HNSW-flat index with `m` links per node.
    public static func hnsw(dimension: Int, m: Int, efConstruction: Int) throws -> FaissIndex {
        try FaissIndex(dimension: dimension) {
            cfaiss_hnsw_create(Int32(dimension), Int32(clamping: m), Int32(clamping: efConstruction), &$0)
        }
    }

    private init(dimension: Int, create: (inout UnsafeMutablePointer<CChar>?) -> cfaiss_index?) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard let handle = create(&error) else { throw Self.failure("creating the index", error) }
        self.handle = handle
        self.dimension = dimension
    }

    deinit { cfaiss_free(handle) }

    /// The number of vectors added.
    public var count: Int { Int(cfaiss_count(handle)) }

    /// Whether vectors may be added (an IVF index must be trained first).
    public var isTrained: Bool { cfaiss_is_trained(handle) }

    /// Trains on the rows of `vectors` (row-major, `dimension` columns) with `threads` OpenMP threads.
    public func train(_ vectors: [Float], threads: Int) throws {
        try call("training", vectors) { cfaiss_train(handle, $0, $1, Int32(threads), &$2) }
    }

    /// Adds the rows of `vectors`; their labels continue from ``count``.
    public func add(_ vectors: [Float], threads: Int) throws {
        try call("adding vectors", vectors) { cfaiss_add(handle, $0, $1, Int32(threads), &$2) }
    }

    /// Sets the IVF cells visited per query.
    public func setProbes(_ nprobe: Int) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard cfaiss_set_nprobe(handle, Int32(clamping: nprobe), &error) == 0 else { throw Self.failure("setting nprobe", error) }
    }

    /// Sets the HNSW candidate list size per query.
    public func setEfSearch(_ efSearch: Int) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard cfaiss_set_ef_search(handle, Int32(clamping: efSearch), &error) == 0 else {
            throw Self.failure("setting efSearch", error)
        }
    }

    /// The `k` best rows of each query row of `queries`: scores and labels, n×k row-major, best first (label -1
    /// where fewer than `k` rows were reached).
    public func search(_ queries: [Float], k: Int, threads: Int) throws -> (scores: [Float], labels: [Int64]) {
        let n = queries.count / dimension
        var scores = [Float](repeating: 0, count: n * k)
        var labels = [Int64](repeating: -1, count: n * k)
        try call("searching", queries) { rows, pointer, error in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                labels.withUnsafeMutableBufferPointer { labelBuffer in
                    cfaiss_search(handle, rows, pointer, Int64(k), scoreBuffer.baseAddress, labelBuffer.baseAddress,
                                  Int32(threads), &error)
                }
            }
        }
        return (scores, labels)
    }

    /// The bytes the index holds (its serialized size: vectors, lists, graph).
    public func memoryBytes() throws -> Int {
        var error: UnsafeMutablePointer<CChar>?
        let bytes = cfaiss_serialized_bytes(handle, &error)
        guard bytes >= 0 else { throw Self.failure("measuring the index", error) }
        return Int(bytes)
    }

    private func call(_ what: String, _ vectors: [Float],
                      _ body: (Int64, UnsafePointer<Float>?, inout UnsafeMutablePointer<CChar>?) -> Int32) throws {
        guard vectors.count % dimension == 0 else {
            throw GalleryError("FAISS \(what): \(vectors.count) values are not whole rows of \(dimension)")
        }
        var error: UnsafeMutablePointer<CChar>?
        let status = vectors.withUnsafeBufferPointer { body(Int64(vectors.count / dimension), $0.baseAddress, &error) }
        guard status == 0 else { throw Self.failure(what, error) }
    }

    private static func failure(_ what: String, _ error: UnsafeMutablePointer<CChar>?) -> GalleryError {
        defer { cfaiss_string_free(error) }
        return GalleryError("FAISS failed \(what): " + (error.map { String(cString: $0) } ?? "no message"))
    }
}
