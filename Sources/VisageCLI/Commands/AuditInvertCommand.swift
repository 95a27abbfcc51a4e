import ArgumentParser
import Foundation
import Torch
import Visage

/// `visage audit invert`: reconstruct faces from templates and score them with the engine (and a second one).
struct AuditInvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invert",
        abstract: "Reconstruct faces from an engine's templates and report how often the engine accepts them.",
        discussion: """
            Refuses templates whose stamp is not the engine's or whose width differs, and an inverter trained on \
            another engine. Scores, for the engine and for --second-engine (transfer, given its templates of the \
            same images): type I (a reconstruction against its own photo's template) and type II (against the \
            person's other photos) at the engine's threshold and at FAR 0.1 % / 1 % measured on every pair of real \
            photos of different people among the templates; with --pairs, verification accuracy with one image of \
            every matched pair replaced by its reconstruction beside the real pairs'. Writes OUT/audit.md, \
            OUT/audit.json and, with --images, OUT/grid.png (real | reconstruction), each atomically.
            """)

    @Option(help: "Recognition engine whose templates are inverted (`visage engines`).")
    var engine = EngineCatalogue.dlibResNet.name

    @Option(help: "Inverter: inverter.safetensors or the run folder holding it (`visage audit train`).")
    var inverter: String

    @Option(help: "The engine's templates (.npy beside its .txt image list and its .json stamp).")
    var templates: String

    @Option(help: "Pairs (LFW format): invert only their images and report verification on them.")
    var pairs: String?

    @Option(help: "A second engine scoring the same reconstructions (transfer).")
    var secondEngine: String?

    @Option(help: "The second engine's templates of the same images (stamped).")
    var secondTemplates: String?

    @Option(help: "Folder of the real aligned faces, for the grid.")
    var images: String?

    @Option(help: "Real | reconstruction pairs in the grid (spread over people).")
    var gridFaces = 16

    @Option(help: "Image-decoding threads.")
    var workers = 2

    @Option(help: "Output folder of the report.")
    var out: String

    func validate() throws {
        guard (secondEngine == nil) == (secondTemplates == nil) else {
            throw ValidationError("give --second-engine and --second-templates together")
        }
        guard gridFaces > 0, workers > 0 else { throw ValidationError("--grid-faces and --workers must be positive") }
    }

    func run() throws {
        let target = try AuditCommand.engine(named: engine)
        let inverterModel = try TemplateInverter.load(from: URL(fileURLWithPath: inverter))
        guard inverterModel.engine == target.stamp else {
            throw ValidationError("the inverter \(inverter) inverts \(inverterModel.engine)'s templates, not \(target.stamp)'s")
        }
        let allTemplates = try EngineTemplates.load(URL(fileURLWithPath: templates), engine: target.stamp,
                                                    dimension: target.embeddingSize!)
        let second = try secondEngine.map { name -> (EngineCatalogue.Entry, FeatureFile) in
            let secondEntry = try AuditCommand.engine(named: name)
            return (secondEntry, try EngineTemplates.load(URL(fileURLWithPath: secondTemplates!),
                                                          engine: secondEntry.stamp, dimension: secondEntry.embeddingSize!))
        }
        let pairList = try pairs.map { try PairList(contentsOf: URL(fileURLWithPath: $0)) }
        // The images to invert: those of the pairs, or every template.
        var rows = Array(0..<allTemplates.paths.count)
        if let pairList {
            var seen = Set<Int>()
            rows = try PairFeatureLookup(features: allTemplates).rows(of: pairList)
                .flatMap { [$0.first, $0.second] }.filter { seen.insert($0).inserted }
        }
        let selected = try FeatureFile(features: allTemplates.features.selecting(rows: rows),
                                       paths: rows.map { allTemplates.paths[$0] })
        let identities = InversionFaces.identityLabels(of: selected.paths).labels
        let outURL = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)

        let progress = ProgressBar("invert", total: rows.count, unit: "tpl")
        let started = Date()
        let reconstructions = try inverterModel.reconstruct(selected.features, progress: progress)
        progress.finish()
        let perSecond = Double(rows.count) / max(Date().timeIntervalSince(started), 1e-9)
        let faces = try ReconstructedFaces(images: reconstructions, names: selected.paths, labels: identities)

        var results: [InversionAuditReport.EngineResult] = []
        results.append(try score(engine: target, real: selected, faces: faces, identities: identities,
                                 pairs: pairList, isTarget: true))
        if let (secondEntry, secondFile) = second {
            var rowOfKey: [String: Int] = [:]
            for (row, path) in secondFile.paths.enumerated() { rowOfKey[FeatureFile.imageKey(path)] = row }
            let secondRows = try selected.paths.map { path -> Int in
                guard let row = rowOfKey[FeatureFile.imageKey(path)] else {
                    throw ValidationError("\(secondTemplates!) has no template of \(path)")
                }
                return row
            }
            let secondSelected = try FeatureFile(features: secondFile.features.selecting(rows: secondRows),
                                                 paths: selected.paths)
            results.append(try score(engine: secondEntry, real: secondSelected, faces: faces, identities: identities,
                                     pairs: pairList, isTarget: false))
        }

        var gridName: String?
        if let images {
            let root = URL(fileURLWithPath: images, isDirectory: true)
            var tiles: [Image] = []
            for row in R3ANReconstructionGrid.spreadRows(labels: identities, count: gridFaces) {
                let real = try ImageCodec.decode(contentsOf: root.appendingPathComponent(selected.paths[row]))
                tiles.append(real.resized(width: inverterModel.faceSize, height: inverterModel.faceSize, filter: .area))
                tiles.append(reconstructions[row])
            }
            let grid = try ImageGrid.render(tiles, columns: 8, spacing: 2)
            gridName = "grid.png"
            try AtomicFile.write(Data(try ImageCodec.encodePNG(grid)), to: outURL.appendingPathComponent(gridName!))
        }
        let report = InversionAuditReport(
            inverter: inverter, method: inverterModel.method.rawValue, templates: templates, images: rows.count,
            templatesPerSecond: perSecond, engines: results, grid: gridName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(report), to: outURL.appendingPathComponent("audit.json"))
        let markdown = report.markdown()
        try AtomicFile.write(Data(markdown.utf8), to: outURL.appendingPathComponent("audit.md"))
        print(markdown)
    }

    /// The engine `entry`'s scores of the reconstructions `faces` against its templates `real` of the photos.
    private func score(engine entry: EngineCatalogue.Entry, real: FeatureFile, faces: ReconstructedFaces,
                       identities: [Int], pairs: PairList?, isTarget: Bool) throws -> InversionAuditReport.EngineResult {
        let model = try FaceEngines.load(entry)
        let reconstructed = try model.embedder(workers: workers).embed(try model.faces(fromAligned: faces))
        let scores = try InversionAttackScores(engine: entry.stamp, real: real.features, reconstructed: reconstructed,
                                               identities: identities, engineThreshold: entry.threshold)
        var pairProtocol: InversionAuditReport.PairProtocol?
        if let pairs, let threshold = entry.threshold {
            let reconstructedFile = try FeatureFile(features: reconstructed, paths: real.paths)
            let realScores = try ScoredPairs(pairs: pairs, features: real)
            let attacked = try ScoredPairs(pairs: pairs, features: real, secondFeatures: reconstructedFile)
            let mixed = zip(realScores.scores, attacked.scores).enumerated().map { index, scores in
                realScores.isMatch[index] ? scores.1 : scores.0
            }
            let matched = realScores.isMatch.indices.filter { realScores.isMatch[$0] }
            func accepted(_ scores: [Double]) -> Double {
                Double(matched.count { scores[$0] >= threshold }) / Double(max(matched.count, 1))
            }
            pairProtocol = .init(
                pairs: pairs.url.lastPathComponent, pairCount: pairs.pairs.count, threshold: threshold,
                realAccuracy: VerificationThreshold.accuracy(scores: realScores.scores, isMatch: realScores.isMatch,
                                                             threshold: threshold),
                attackAccuracy: VerificationThreshold.accuracy(scores: mixed, isMatch: realScores.isMatch,
                                                               threshold: threshold),
                attackMatchedAccepted: accepted(mixed), realMatchedAccepted: accepted(realScores.scores))
        }
        return .init(isTarget: isTarget, scores: scores, pairProtocol: pairProtocol)
    }
}
