import Foundation
import Torch
import Visage
import VisageBenchmarks
import VisageGallery

/// `visage bench gallery`'s search half: identify latency, throughput, recall@1 against exact search, build time
/// and memory of every search-index kind at several gallery sizes.
///
/// The galleries are real templates (an engine's features of a face set, e.g. LFW) topped up with synthetic
/// ones: each synthetic template is a real gallery template, L2-normalized, plus Gaussian noise whose deviation
/// makes its expected cosine with that template the mean cosine of two real photos of one person (measured on the
/// real templates' identities, the parent folders of their paths), i.e. one more photo of someone already there,
/// enrolled as a person of its own. The probes are real templates held out of every gallery. Each smaller
/// gallery is the first rows of the larger ones (real first).
public struct GallerySearchBenchmark {
    /// Templates per gallery, ascending.
    public var sizes = [10_000, 100_000, 1_000_000]
    public var kinds = SearchIndexKind.allCases
    public var parameters = SearchIndexParameters()
    /// Real templates held out as probes.
    public var probes = 500
    /// Probes timed one at a time (batch 1), the first of `probes`.
    public var latencyProbes = 200
    /// Probes per call in the batched run.
    public var batch = 100
    /// People ranked per probe.
    public var topK = 5
    public var seed: UInt64 = 1
    public var showProgress = true
    /// What the build and search times count.
    public var clock = SearchClock.wall

    /// The real templates and their paths (the identity of each is its path's parent folder).
    public let real: FeatureMatrix
    public let paths: [String]

    public init(real: FeatureMatrix, paths: [String]) throws {
        guard real.rows == paths.count else {
            throw GalleryError("\(real.rows) template rows but \(paths.count) paths")
        }
        self.real = real
        self.paths = paths
    }

    /// One index kind at one gallery size.
    public struct Row: Sendable {
        public var size: Int
        public var kind: SearchIndexKind
        public var buildSeconds: Double
        public var memoryBytes: Int
        /// Batch-1 identify latency, milliseconds.
        public var p50: Double
        public var p99: Double
        /// Probes per second one at a time, and in batches of ``GallerySearchBenchmark/batch``.
        public var perSecondSingle: Double
        public var perSecondBatched: Double
        /// The fraction of probes whose best template is exact search's best (or scores as high).
        public var recallAt1: Double
    }

    public struct Result: Sendable {
        public var rows: [Row]
        /// Mean cosine of two real templates of one person, and the noise deviation per value it implies.
        public var sameIdentityCosine: Double
        public var noise: Double
        public var realInGallery: Int
        public var threads: Int
    }

    /// Checks the settings before any long work.
    public func validate() throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw GalleryError("gallery sizes must be positive, got \(sizes)") }
        guard probes > 0, (1...probes).contains(latencyProbes), batch > 0, topK > 0 else {
            throw GalleryError("probes, batch and top-k must be positive and latency probes 1…probes")
        }
        guard real.rows > probes else {
            throw GalleryError("\(real.rows) real templates leave none for the gallery after \(probes) probes")
        }
        guard kinds.contains(.exact) else { throw GalleryError("recall is measured against exact search: include exact") }
        guard clock == .wall || Runtime.threads == 1 else {
            throw GalleryError("the thread-cpu clock counts the calling thread only: run with VISAGE_THREADS=1 "
                + "(now \(Runtime.threads) threads)")
        }
        for size in sizes { for kind in kinds { try parameters.validate(kind: kind, templates: size) } }
    }

    /// Mean cosine between two templates of one identity (`rows` normalized, identities the parent folders).
    static func sameIdentityCosine(_ rows: [Float], dimension: Int, paths: [String]) -> Double {
        var members: [String: [Int]] = [:]
        for (row, path) in paths.enumerated() {
            members[(path as NSString).deletingLastPathComponent, default: []].append(row)
        }
        var sum = 0.0, pairs = 0
        for group in members.values where group.count > 1 {
            for (position, a) in group.enumerated() {
                for b in group[(position + 1)...] {
                    var dot: Float = 0
                    for column in 0..<dimension { dot += rows[a * dimension + column] * rows[b * dimension + column] }
                    sum += Double(dot)
                    pairs += 1
                }
            }
        }
        return pairs == 0 ? 0.5 : sum / Double(pairs)
    }

    public func measure() throws -> Result {
        try validate()
        let dimension = real.columns
        let normalized = TemplateSearchIndex.normalized(real.values, dimension: dimension)
        var random = SeededRandom(seed: seed)
        var order = Array(0..<real.rows)
        for index in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(index, random.index(below: index + 1)) }
        let probeRows = Array(order.prefix(probes)), pool = Array(order.dropFirst(probes))
        let cosine = Self.sameIdentityCosine(normalized, dimension: dimension, paths: paths)
        // A unit vector plus N(0, σ²) per value has cosine ≈ 1/√(1 + Dσ²) with it.
        let noise = (max(1 / (cosine * cosine) - 1, 0) / Double(dimension)).squareRoot()
        let largest = sizes.max()!
        let gallery = syntheticGallery(normalized, pool: pool, size: largest, noise: noise, dimension: dimension)
        let probeVectors = probeRows.map { Array(normalized[($0 * dimension)..<(($0 + 1) * dimension)]) }
        var rows: [Row] = []
        for size in sizes.sorted() {
            let vectors = Array(gallery.prefix(size * dimension))
            let faces = (0..<size).map { Int64($0 + 1) }
            let people = (0..<size).map { row -> Int64? in row < pool.count ? Int64(pool[row] + 1) : Int64(real.rows + row + 1) }
            var truth: [TemplateNeighbor] = []
            for kind in kinds {
                note("\(size) templates: building \(kind.rawValue)")
                let start = clock.now()
                let index = try TemplateSearchIndex.build(kind, engine: "bench", faces: faces, people: people, vectors: vectors,
                                                          dimension: dimension, parameters: parameters)
                let buildSeconds = clock.seconds(since: start)
                let memory = try (index as? FaissTemplateIndex)?.index.memoryBytes() ?? size * dimension * MemoryLayout<Float>.size
                let found = try index.nearest(probeVectors, k: 1).map { $0.first ?? TemplateNeighbor(row: -1, score: -2) }
                if kind == .exact { truth = found }
                let hits = zip(found, truth).filter { $0.row == $1.row || $0.score >= $1.score - 1e-5 }.count
                let bar = ProgressBar("\(size) \(kind.rawValue) batch 1", total: latencyProbes, unit: "probe", enabled: showProgress)
                var latencies: [Double] = []
                for probe in probeVectors.prefix(latencyProbes) {
                    let begin = clock.now()
                    _ = try index.rank([probe], k: topK)
                    latencies.append(clock.seconds(since: begin) * 1000)
                    bar.advance()
                }
                bar.finish()
                let batchedStart = clock.now()
                for start in stride(from: 0, to: probeVectors.count, by: batch) {
                    _ = try index.rank(Array(probeVectors[start..<min(start + batch, probeVectors.count)]), k: topK)
                }
                let batchedSeconds = clock.seconds(since: batchedStart)
                latencies.sort()
                rows.append(Row(
                    size: size, kind: kind, buildSeconds: buildSeconds, memoryBytes: memory,
                    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
                    perSecondSingle: Double(latencies.count) / (latencies.reduce(0, +) / 1000),
                    perSecondBatched: Double(probeVectors.count) / batchedSeconds,
                    recallAt1: Double(hits) / Double(found.count)))
                note(line(rows.last!, exact: rows.first { $0.size == size && $0.kind == .exact }!))
            }
        }
        return Result(rows: rows, sameIdentityCosine: cosine, noise: noise, realInGallery: min(pool.count, largest),
                      threads: Runtime.threads)
    }

    /// The pool's real templates, then synthetic ones drawn around random pool templates, `size` rows in all.
    func syntheticGallery(_ normalized: [Float], pool: [Int], size: Int, noise: Double, dimension: Int) -> [Float] {
        var gallery: [Float] = []
        gallery.reserveCapacity(size * dimension)
        for row in pool.prefix(size) { gallery += normalized[(row * dimension)..<((row + 1) * dimension)] }
        let synthetic = size - min(size, pool.count)
        guard synthetic > 0 else { return gallery }
        note("drawing \(synthetic) synthetic templates around the \(pool.count) real ones")
        Runtime.seed(seed)
        let poolMatrix = try! Tensor(pool.flatMap { normalized[($0 * dimension)..<(($0 + 1) * dimension)] },
                                     shape: [pool.count, dimension])
        let chunk = 100_000
        for start in stride(from: 0, to: synthetic, by: chunk) {
            let count = min(chunk, synthetic - start)
            let seeds = poolMatrix.indexSelect(0, Tensor.randint(0, pool.count, [count]))
            gallery += (seeds + Tensor.randn([count, dimension]) * noise).contiguous().array(of: Float.self)
        }
        return gallery
    }

    /// The benchmark's table: one line per gallery size and index kind, with each kind's speed as a multiple of
    /// exact search's at that size.
    public func report(_ result: Result) -> String {
        var lines = [
            "Gallery search: \(real.columns)-value templates, \(result.realInGallery) real + synthetic "
                + String(format: "(noise σ %.4f per value: expected cosine %.3f with its real seed, the mean same-person cosine)",
                         result.noise, result.sameIdentityCosine),
            "\(probes) held-out real probes (\(latencyProbes) timed one at a time), top-\(topK) people, \(result.threads) thread(s), "
                + (clock == .wall ? "wall-clock times; " : "times in CPU time of the searching thread; ")
                + "IVF nlist \(parameters.nlist.map(String.init) ?? "√N") nprobe \(parameters.nprobe.map(String.init) ?? "nlist/16"), "
                + "HNSW M \(parameters.m) efConstruction \(parameters.efConstruction) efSearch \(parameters.efSearch)",
            [tableCell("templates", 10), tableCell("index", 6), tableCell("build s", 9), tableCell("memory MB", 10),
             tableCell("p50 ms", 9), tableCell("p99 ms", 9), tableCell("probes/s", 10), tableCell("×exact", 8),
             tableCell("batched/s", 10), tableCell("×exact", 8), tableCell("recall@1", 9)].joined(separator: " "),
        ]
        for row in result.rows {
            lines.append(line(row, exact: result.rows.first { $0.size == row.size && $0.kind == .exact }!))
        }
        return lines.joined(separator: "\n")
    }

    /// The table line of `row`, its speeds rated against `exact`'s.
    func line(_ row: Row, exact: Row) -> String {
        [
            tableCell("\(row.size)", 10), tableCell(row.kind.rawValue, 6), tableCell(String(format: "%.2f", row.buildSeconds), 9),
            tableCell(String(format: "%.1f", Double(row.memoryBytes) / 1e6), 10), tableCell(String(format: "%.3f", row.p50), 9),
            tableCell(String(format: "%.3f", row.p99), 9), tableCell(String(format: "%.0f", row.perSecondSingle), 10),
            tableCell(String(format: "%.2f", row.perSecondSingle / exact.perSecondSingle), 8),
            tableCell(String(format: "%.0f", row.perSecondBatched), 10),
            tableCell(String(format: "%.2f", row.perSecondBatched / exact.perSecondBatched), 8),
            tableCell(String(format: "%.4f", row.recallAt1), 9),
        ].joined(separator: " ")
    }

    private func note(_ line: String) {
        if showProgress { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

/// The `fraction` quantile of ascending `sorted` (nearest rank).
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))]
}

func elapsedSeconds(since start: UInt64) -> Double { SearchClock.wall.seconds(since: start) }

/// The clock of the search benchmark: wall time, or the calling thread's CPU time, which a shared machine's other
/// work does not inflate (with one thread, FAISS's and libtorch's kernels run on the calling thread).
public enum SearchClock: String, Sendable, CaseIterable {
    case wall
    case threadCPU = "thread-cpu"

    /// Nanoseconds on this clock.
    public func now() -> UInt64 {
        switch self {
        case .wall:
            return DispatchTime.now().uptimeNanoseconds
        case .threadCPU:
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        }
    }

    public func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }
}
