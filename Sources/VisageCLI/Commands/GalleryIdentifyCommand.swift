import ArgumentParser
import Foundation
import enum Torch.AtomicFile
import Visage
import VisageGallery

/// `visage gallery identify`: who the faces of photos are, among the gallery's people.
struct GalleryIdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Identify the faces of photos: the top-k people and an open-set decision (a person, or unknown).",
        discussion: """
            Each probe face is scored (cosine) against the templates of the gallery's engine whose faces are \
            assigned to a person: by default exactly, in one matrix product, up to \(SearchIndexKind.automaticExactLimit) \
            templates and by a FAISS HNSW index above (--index picks exact, flat, ivf or hnsw); a person scores \
            their best template. The best person is \
            the answer when they score at least the threshold (`calibrate`'s, else the engine's catalogue \
            threshold), otherwise the face is unknown. A gallery whose enrolled faces do not all have a template \
            of its engine (a migration half done, templates of several engines) is refused, or with --per-engine \
            searched once per engine, each engine's probe templates against its own templates.
            """)

    @OptionGroup var file: GalleryFileOption

    @Argument(help: "Photos, or folders of photos, to identify.")
    var photos: [String]

    @Option(help: "People to list per face.")
    var topK = 5

    @OptionGroup var threshold: GalleryThresholdOption

    @Flag(help: "Identify every face of each photo, not only the largest.")
    var everyFace = false

    @Flag(help: "The photos are ArcFace-aligned 112×112 crops (no detection).")
    var aligned = false

    @Flag(help: "Search each engine's templates apart when the gallery holds several.")
    var perEngine = false

    @Option(help: "Times to double each photo before detection.")
    var upsample = 1

    @Option(help: "Also write the results as JSON here.")
    var json: String?

    @OptionGroup var search: SearchIndexOptions

    func validate() throws {
        guard topK > 0 else { throw ValidationError("--top-k must be positive, got \(topK)") }
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
    }

    /// The JSON written with --json.
    struct Output: Codable {
        struct Candidate: Codable {
            var person: String
            var score: Double
        }
        struct Result: Codable {
            var engine: String
            var photo: String
            var face: Int
            var box: [Int]
            var decision: String?
            var candidates: [Candidate]
        }
        struct Engine: Codable {
            var engine: String
            var threshold: Double
            var thresholdOrigin: String
            var templates: Int
            var index: String
        }
        var engines: [Engine] = []
        var problems: [String] = []
        var results: [Result] = []
    }

    func run() throws {
        let store = try file.open()
        let list = try PhotoList(photos)
        let current = try store.engine().stamp
        var stamps = [current]
        if perEngine {
            stamps = try store.templateCounts().map(\.engine)
        } else {
            try store.requireCoverage(of: current, assignedOnly: true)
        }
        let names = try store.personNames()
        let finder = aligned ? nil : try FaceFinder.load(upsample: upsample)
        var output = Output()
        for stamp in stamps {
            guard let model = try store.model(forStamp: stamp) else {
                printError("skipped the templates of \(stamp): no engine of the catalogue has that stamp, so probes "
                    + "cannot be embedded for them")
                continue
            }
            let index = try search.build(engine: stamp, templates: store.templates(engine: stamp, assignedOnly: true))
            let (value, origin) = try threshold.resolve(store, stamp: stamp)
            output.engines.append(.init(engine: stamp, threshold: value, thresholdOrigin: origin, templates: index.faces.count,
                                        index: index.kind.rawValue))
            print("\(stamp): \(index.faces.count) templates of \(Set(index.people.compactMap { $0 }).count) people "
                + "(\(index.kind.rawValue) search); threshold \(value) (\(origin))")
            let pipeline = try FacePipeline(model: model, finder: finder)
            let (faces, problems) = try pipeline.probes(list, aligned: aligned, everyFace: everyFace)
            if output.problems.isEmpty {
                output.problems = problems
                for line in problems { printError(line) }
            }
            let ranked = try index.rank(faces.map(\.template), k: topK)
            for (face, candidates) in zip(faces, ranked) {
                let decision = TemplateIndex.decision(candidates, threshold: value).map { names[$0.person] ?? "?" }
                let listed = candidates.map { "\(names[$0.person] ?? "?") \(String(format: "%.3f", $0.score))" }
                let engine = stamps.count > 1 ? "\(stamp) " : ""
                print("\(engine)\(face.photo)#\(face.rank): \(decision ?? "unknown")  [\(listed.joined(separator: ", "))]")
                output.results.append(.init(
                    engine: stamp, photo: face.photo, face: face.rank,
                    box: [face.box.left, face.box.top, face.box.right, face.box.bottom], decision: decision,
                    candidates: candidates.map { .init(person: names[$0.person] ?? "?", score: $0.score) }))
            }
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try AtomicFile.write(try encoder.encode(output), to: URL(fileURLWithPath: json))
        }
    }
}
