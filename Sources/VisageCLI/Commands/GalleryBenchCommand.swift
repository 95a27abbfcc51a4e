import ArgumentParser
import Foundation
import Visage
import VisageGallery
import VisageGalleryBenchmarks

extension SearchClock: ExpressibleByArgument {}

/// `visage bench gallery`: the gallery's search at scale (exact against FAISS flat, IVF and HNSW) and its enroll
/// rate, in one run.
struct GalleryBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Gallery search at 10k–1M templates (exact vs FAISS flat/IVF/HNSW: latency, throughput, recall@1, "
            + "build time, memory) and enroll photos/s.",
        discussion: """
            The galleries are the real templates of --features topped up with synthetic templates drawn around them \
            (each a real template plus noise whose expected cosine with it is the mean same-person cosine of the \
            real templates); probes are real templates held out of the gallery. Recall@1 is the fraction of probes \
            whose best template is exact search's. Each FAISS kind's speed is also printed as a multiple of exact \
            search's at the same size. The enroll half times detect → align → embed → commit on --photos (each \
            photo's folder is its person) and the store's commit alone.
            """)

    /// The benchmark's halves.
    enum Part: String, CaseIterable, ExpressibleByArgument {
        case search, enroll, http
    }

    @Option(help: "What to measure, comma-separated: search, enroll, http (enroll and http need --photos).")
    var parts = "search,enroll,http"

    @Option(help: "Real templates: a float32 N×D .npy feature file (its image paths in the .txt beside it).")
    var features: String?

    @Option(help: "Image path of each feature row (default: the .npy's name ending in .txt).")
    var paths: String?

    @Option(help: ArgumentHelp("Gallery sizes, comma-separated (leave 1000000 out to skip the largest)."))
    var sizes = "10000,100000,1000000"

    @Option(help: "Index kinds to compare, comma-separated (exact is always measured: recall is against it).")
    var kinds = "exact,flat,ivf,hnsw"

    @Option(help: "Real templates held out as probes.")
    var probes = 500

    @Option(help: "Probes timed one at a time (batch 1).")
    var latencyProbes = 200

    @Option(help: "Probes per call in the batched run.")
    var batch = 100

    @Option(help: "People ranked per probe.")
    var topK = 5

    @OptionGroup var tuning: SearchTuningOptions

    @Option(help: "Photos or folders to enroll for the enroll rate (each photo's folder is its person); none: skipped.")
    var photos: [String] = []

    @Option(help: "Engine (`visage engines`) that embeds --photos.")
    var engine = EngineCatalogue.dlibResNet.name

    @Option(help: "Photos committed straight to the store (synthetic templates) for the commit-only rate.")
    var commits = 2000

    @Option(help: ArgumentHelp("Seconds of each wrk run against `visage gallery serve` on loopback (identify alone, then "
                               + "while another client enrolls --photos); 0 skips the HTTP load."))
    var httpSeconds = 10

    @Option(help: "wrk connections.")
    var httpConnections = 4

    @Option(help: "Loopback port for the HTTP load.")
    var port = 18080

    @Option(help: ArgumentHelp("Search timings' clock: wall, or thread-cpu (the searching thread's CPU time, for a shared "
                               + "machine; needs VISAGE_THREADS=1)."))
    var clock = SearchClock.wall

    @Option(help: "Seed of the probe split and the synthetic templates.")
    var seed: UInt64 = 1

    func validate() throws {
        guard probes > 0, batch > 0, topK > 0, commits > 0, httpSeconds >= 0, httpConnections > 0 else {
            throw ValidationError("--probes, --batch, --top-k, --commits and --http-connections must be positive, "
                + "--http-seconds not negative")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535, got \(port)") }
        guard (1...probes).contains(latencyProbes) else {
            throw ValidationError("--latency-probes must be 1…\(probes) (--probes), got \(latencyProbes)")
        }
        _ = try sizeList()
        _ = try kindList()
        let chosen = try partList()
        guard !chosen.contains(.search) || features != nil else { throw ValidationError("the search half needs --features") }
    }

    func partList() throws -> Set<Part> {
        Set(try parts.split(separator: ",").map { name in
            guard let part = Part(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--parts: '\(name)' is not one of search, enroll, http")
            }
            return part
        })
    }

    func sizeList() throws -> [Int] {
        let values = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--sizes must be positive integers separated by commas, got '\(sizes)'")
        }
        return values.map { $0! }.sorted()
    }

    func kindList() throws -> [SearchIndexKind] {
        var list: [SearchIndexKind] = [.exact]
        for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let kind = SearchIndexKind(rawValue: name) else {
                throw ValidationError("--kinds: '\(name)' is not one of \(SearchIndexKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !list.contains(kind) { list.append(kind) }
        }
        return list
    }

    func run() throws {
        let chosen = try partList()
        var search: GallerySearchBenchmark?
        if chosen.contains(.search), let features {
            let file = try FeatureFile.load(features: URL(fileURLWithPath: features), paths: paths.map { URL(fileURLWithPath: $0) })
            var benchmark = try GallerySearchBenchmark(real: file.features, paths: file.paths)
            benchmark.sizes = try sizeList()
            benchmark.kinds = try kindList()
            benchmark.parameters = tuning.parameters
            benchmark.probes = probes
            benchmark.latencyProbes = latencyProbes
            benchmark.batch = batch
            benchmark.topK = topK
            benchmark.seed = seed
            benchmark.clock = clock
            try benchmark.validate()
            search = benchmark
        }
        var enroll: GalleryEnrollBenchmark?
        var http: GalleryHTTPLoadBenchmark?
        if !photos.isEmpty {
            let list = try PhotoList(photos)
            if chosen.contains(.enroll) {
                var benchmark = GalleryEnrollBenchmark(photos: list, engine: engine)
                benchmark.commits = commits
                enroll = benchmark
            }
            if chosen.contains(.http), httpSeconds > 0 {
                guard let executable = Bundle.main.executableURL else { throw ValidationError("cannot find the visage executable") }
                var load = GalleryHTTPLoadBenchmark(executable: executable, photos: list, engine: engine)
                load.seconds = httpSeconds
                load.connections = httpConnections
                load.port = port
                http = load
            }
        }
        // The enroll and HTTP halves first: they are short, and the largest galleries' search is the long part.
        if let enroll {
            print(enroll.report(try enroll.measure()))
            print("")
        }
        if let http {
            print(http.report(try http.measure()))
            print("")
        }
        if let search { print(search.report(try search.measure())) }
    }
}
