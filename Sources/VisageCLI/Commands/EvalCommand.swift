import ArgumentParser
import Foundation
import Visage

/// `visage eval`: verification of face features on a pair list → report (JSON, Markdown) and ROC plots.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate face features on a verification pair list (LFW protocol, ROC, AUC, EER, TAR@FAR).",
        discussion: """
            The features come from a feature file (--features F.npy with its list F.txt of image paths, e.g. an \
            external engine's), or from a model trained by Visage (--model model.safetensors with --root), which \
            embeds the images the pairs use. Pair images are matched to feature rows by identity folder and file name; with \
            --root they are first looked up on disk under that folder. Pair lists with folds (LFW View 2) are \
            scored by k-fold accuracy, each fold's threshold chosen on the other folds. A single-split list (LFW \
            View 1) uses the threshold that is best on --train-pairs when given, otherwise the best threshold on \
            the test pairs themselves, reported as optimistic. OUT receives report.json, report.md, roc.png and \
            roc.svg; --compare adds the curves of earlier reports to the plots.
            """)

    @Option(name: .long, help: ArgumentHelp("Features, float32 N×D .npy. Repeat it to fuse engines: each one's scores z-scored "
        + "over the pairs and averaged."))
    var features: [String] = []

    @Option(name: .long, help: ArgumentHelp("Model file from `visage train` or an engine's name (`visage engines`), instead of "
        + "--features; needs --root, a folder of ArcFace-aligned crops (re-cut for engines that want dlib chips)."))
    var model: String?

    @Flag(name: .long, inversion: .prefixedNo, help: ArgumentHelp("With --model: add each image's mirror's embedding (flip "
        + "test-time augmentation); default: the engine's convention (on for mobilefacenet-ms1m), off for trained models."))
    var flip: Bool?

    @Option(name: .long, help: "Image path of each feature row (default: the .npy's name ending in .txt).")
    var list: String?

    @Option(name: .long, help: "Pair list in LFW format.")
    var pairs: String

    @Option(name: .long, help: "Pair list to choose the threshold on, for a single-split --pairs (LFW View 1's DevTrain).")
    var trainPairs: String?

    @Option(name: .long, help: "Image folder the pairs refer to (root/<identity>/<image>); checks the images exist.")
    var root: String?

    @Option(name: .long, help: "Folder to write the report and plots to.")
    var out: String

    @Option(name: .long, help: "Pair score: cosine or euclidean (negative distance).")
    var metric: SimilarityMetric = .cosine

    @Flag(name: .long, help: ArgumentHelp("Score a pair whose image has no feature row (a photo in which `visage "
        + "embed --photos` found no face) as different people, instead of refusing the pair list."))
    var rejectMissing = false

    @Option(name: .long, help: "Name of the features in the report and legend (default: the model's, or 'features').")
    var name: String?

    @Option(name: .long, help: "An earlier report.json whose ROC curves to draw as well (repeatable).")
    var compare: [String] = []

    @OptionGroup var precision: PrecisionOptions

    func run() throws {
        // Earlier reports are read first, so a bad one stops the run before anything is written.
        let earlier = try compare.flatMap { try EvaluationReport(contentsOf: URL(fileURLWithPath: $0)).verification }
        let loaded = try loadFeatures()
        let result = try verify(loaded.map(\.0), name: name ?? loaded.map(\.1).joined(separator: " + "))
        let report = EvaluationReport(verification: [result])
        let folder = URL(fileURLWithPath: out)
        let written = try report.write(to: folder)
        let plot = try ROCPlot(report: EvaluationReport(verification: report.verification + earlier))
        let png = folder.appendingPathComponent("roc.png"), svg = folder.appendingPathComponent("roc.svg")
        try Data(try plot.pngData()).write(to: png, options: .atomic)
        try Data(plot.svg().utf8).write(to: svg, options: .atomic)

        print("\(result.name) on \(result.pairList) (\(result.positiveCount) matched + \(result.negativeCount) "
            + "mismatched pairs, \(result.metric.rawValue)):")
        print("  accuracy  \(result.accuracy.summary)")
        print(String(format: "  AUC       %.4f", result.areaUnderCurve))
        print(String(format: "  EER       %.2f %%", 100 * result.equalErrorRate))
        for point in result.trueAcceptRates {
            print("  TAR@FAR=" + String(format: "%-6g %.2f %%", point.falseAcceptRate, 100 * point.trueAcceptRate))
        }
        if let smallest = result.smallestMeasurableFalseAcceptRate {
            print("  (smaller FARs than \(smallest) left out: \(result.negativeCount) mismatched pairs cannot measure them)")
        }
        print("wrote \(written.json.path), \(written.markdown.path), \(png.path), \(svg.path)")
    }

    /// The features to score: read from --features, or a model's embeddings of the images the pairs use.
    private func loadFeatures() throws -> [(FeatureFile, String)] {
        switch (features.isEmpty, model) {
        case (false, nil):
            guard precision.precision == .fp32 else {
                throw ValidationError("--precision applies to --model; features already computed keep theirs")
            }
            guard features.count == 1 || list == nil else { throw ValidationError("--list goes with a single --features") }
            return try features.map { path in
                let url = URL(fileURLWithPath: path)
                return (try FeatureFile.load(features: url, paths: list.map { URL(fileURLWithPath: $0) }),
                        features.count == 1 ? "features" : try FeatureStamp.modelName(for: url))
            }
        case (true, let model?):
            guard let root else { throw ValidationError("--model needs --root, the folder of the pairs' images") }
            let rootURL = URL(fileURLWithPath: root)
            var faceModel = try FaceModel.load(model)
            let lists = try ([pairs] + (trainPairs.map { [$0] } ?? [])).map { try PairList(contentsOf: URL(fileURLWithPath: $0)) }
            let images = try faceModel.faces(fromAligned: ImageFileSource(imagesOf: lists, root: rootURL))
            faceModel = try precision.apply(to: faceModel, faces: images)
            let features = try faceModel.embedder(flip: flip).featureFile(for: images)
            return [(features, faceModel.identifier)]
        default:
            throw ValidationError("give either --features or --model")
        }
    }

    /// Scores the pairs on each feature file, fuses the scores of several, and evaluates them.
    private func verify(_ featureFiles: [FeatureFile], name: String) throws -> VerificationResult {
        let rootURL = root.map { URL(fileURLWithPath: $0) }
        func score(_ list: String) throws -> ScoredPairs {
            let pairList = try PairList(contentsOf: URL(fileURLWithPath: list))
            let parts = try featureFiles.map {
                try ScoredPairs(pairs: pairList, features: $0, metric: metric, root: rootURL, rejectingMissing: rejectMissing)
            }
            if let rejected = parts.map(\.rejectedCount).max(), rejected > 0 {
                print("\(rejected) pairs of \(list) have an image without a template: scored as different people")
            }
            return parts.count == 1 ? parts[0] : try ScoredPairs.fused(parts)
        }
        let scored = try score(pairs)
        let training = try trainPairs.map(score)
        return try VerificationResult(name: name, pairList: pairs, metric: metric, pairs: scored, training: training)
    }
}

extension SimilarityMetric: ExpressibleByArgument {}
