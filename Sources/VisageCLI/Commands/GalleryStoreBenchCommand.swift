import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage bench gallery-store`: the gallery's store on SQLite against PostgreSQL (enroll commits, template loads),
/// and sharded exact search for 1, 2 and 4 shards.
struct GalleryStoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery-store",
        abstract: "Gallery store on SQLite vs PostgreSQL (enroll commits/s, templates loaded/s), sharded search latency.",
        discussion: """
            Enrolls --photos synthetic photos (one face, a random --dimension template each, one transaction per \
            photo, as `gallery enroll` stores them) into a new SQLite file and a new schema of the --postgres \
            database (dropped afterwards), then loads all their templates --loads times, and shard 0's of each \
            shard count. Then searches --templates synthetic templates split into 1, 2 and 4 shards (each shard \
            its own index, searched at once, the top-k lists merged) with --probes single-probe queries, checks \
            that every shard count returns the unsharded top-k, and times shard 0 searched alone (what one \
            instance spends when each shard has its own machine). Ratios are against SQLite and against one shard.
            """)

    @Option(help: "PostgreSQL database to measure (a new schema is made there and dropped); without it only SQLite.")
    var postgres: String?

    @Option(help: "Photos enrolled per backend.")
    var photos = 2000

    @Option(help: "Times all templates are loaded (the median is reported).")
    var loads = 5

    @Option(help: "Templates searched by the sharded index.")
    var templates = 100_000

    @Option(help: "Template size.")
    var dimension = 128

    @Option(help: "Single-probe queries per shard count (after 10 warm-up ones).")
    var probes = 200

    @Option(help: "People returned per query.")
    var topK = 5

    func validate() throws {
        for (name, value) in [("--photos", photos), ("--loads", loads), ("--templates", templates),
                              ("--dimension", dimension), ("--probes", probes), ("--top-k", topK)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        if let postgres {
            guard case .postgres = try GalleryLocation(postgres) else {
                throw ValidationError("--postgres must be a postgres:// URL, got \(postgres)")
            }
        }
    }

    func run() throws {
        var random = SeededRandom(seed: 16)
        let vectors = (0..<photos).map { _ in Self.unitVector(dimension, &random) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var locations: [(String, GalleryLocation)] = [("SQLite", .sqlite(folder.appendingPathComponent("bench.sqlite")))]
        if let postgres {
            let schema = "visage_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            locations.append(("PostgreSQL", try GalleryLocation(postgres + (postgres.contains("?") ? "&" : "?") + "schema=\(schema)")))
        }
        print("Gallery store: \(photos) photos of one \(dimension)-value template each, one transaction per photo")
        print("backend       enroll photos/s   ratio   load templates/s   ratio   shard 0/2 load   shard 0/4 load")
        var baseline: (enroll: Double, load: Double)?
        for (name, location) in locations {
            let store = try GalleryStore.create(at: location, engine: "bench", engineStamp: "bench", keepPhotos: false)
            defer { try? GalleryStore.drop(location) }
            let start = Date()
            for (index, vector) in vectors.enumerated() {
                let enrollment = PhotoEnrollment(
                    sha256: SHA256.hex(Array("bench-\(index)".utf8)), path: "/bench/\(index).jpg", width: 112, height: 112,
                    aligned: true, bytes: nil, person: "person-\(index / 4)",
                    faces: [GalleryFace(box: FaceBox(left: 0, top: 0, right: 111, bottom: 111), score: 0,
                                        landmarks: Array(repeating: SIMD2(56, 56), count: 5), template: vector)])
                _ = try store.enroll(enrollment, engine: "bench")
            }
            let enrollRate = Double(photos) / Date().timeIntervalSince(start)
            let loadSeconds = try Self.median(loads) {
                guard try store.templates(engine: "bench").count == photos else { throw GalleryError("templates went missing") }
            }
            let shardSeconds = try [2, 4].map { count in
                let shard = try TemplateShard(index: 0, of: count)
                return try Self.median(loads) { _ = try store.templates(engine: "bench", shard: shard) }
            }
            let loadRate = Double(photos) / loadSeconds
            let reference = baseline ?? (enrollRate, loadRate)
            baseline = reference
            let cells = [
                Self.column(String(format: "%.0f", enrollRate), 15),
                Self.column(String(format: "%.2f×", enrollRate / reference.enroll), 8),
                Self.column(String(format: "%.0f", loadRate), 19),
                Self.column(String(format: "%.2f×", loadRate / reference.load), 8),
                Self.column(String(format: "%.1f ms", shardSeconds[0] * 1000), 17),
                Self.column(String(format: "%.1f ms", shardSeconds[1] * 1000), 17),
            ]
            print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + cells.joined())
        }
        try searchShards(&random)
    }

    /// Sharded exact search over synthetic templates for 1, 2 and 4 shards.
    func searchShards(_ random: inout SeededRandom) throws {
        var gallery: [StoredTemplate] = []
        for index in 0..<templates {
            gallery.append(StoredTemplate(face: Int64(index + 1), person: Int64(index / 4 + 1),
                                          vector: Self.unitVector(dimension, &random)))
        }
        let queries = (0..<(probes + 10)).map { _ in Self.unitVector(dimension, &random) }
        print("\nSharded exact search: \(templates) templates of \(dimension) values, \(probes) single-probe queries, top-\(topK)")
        print("shards   p50 ms    p99 ms    queries/s   p50 ratio to 1 shard   same top-k as 1 shard   one shard alone p50 ms")
        var reference: (p50: Double, answers: [[TemplateIndex.Candidate]])?
        for count in [1, 2, 4] {
            let index = try ShardedTemplateIndex(engine: "bench", templates: gallery, count: count)
            var latencies: [Double] = [], answers: [[TemplateIndex.Candidate]] = []
            for (number, probe) in queries.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                let answer = try index.rank([probe], k: topK)[0]
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                if number >= 10 {
                    latencies.append(elapsed)
                    answers.append(answer)
                }
            }
            // What one instance spends on its own shard (the fan-out's floor when each shard has its own machine).
            var alone: [Double] = []
            for probe in queries.suffix(probes) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try index.shards[0]!.rank([probe], k: topK)
                alone.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            alone.sort()
            latencies.sort()
            let p50 = latencies[latencies.count / 2], p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            let base = reference ?? (p50, answers)
            reference = base
            let same = zip(answers, base.answers).allSatisfy { $0.map(\.person) == $1.map(\.person) }
            let cells = [
                Self.column(String(format: "%.2f", p50), 9),
                Self.column(String(format: "%.2f", p99), 10),
                Self.column(String(format: "%.0f", 1000 * Double(latencies.count) / latencies.reduce(0, +)), 12),
                Self.column(String(format: "%.2f×", p50 / base.p50), 23),
                Self.column(same ? "yes" : "NO", 24),
                Self.column(String(format: "%.2f", alone[alone.count / 2]), 25),
            ]
            print("\(count)".padding(toLength: 6, withPad: " ", startingAt: 0) + cells.joined())
        }
    }

    static func column(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }

    /// The median seconds of `rounds` runs of `body`.
    static func median(_ rounds: Int, _ body: () throws -> Void) rethrows -> Double {
        var seconds: [Double] = []
        for _ in 0..<rounds {
            let start = Date()
            try body()
            seconds.append(Date().timeIntervalSince(start))
        }
        return seconds.sorted()[rounds / 2]
    }

    static func unitVector(_ dimension: Int, _ random: inout SeededRandom) -> [Float] {
        let values = (0..<dimension).map { _ in Float(random.normal()) }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }
}
