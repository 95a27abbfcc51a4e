import Foundation
import Torch

/// The first run of a new user: trains a small face model on synthetic people rendered on the fly, evaluates
/// it on other synthetic people (LFW-style 10-fold pairs), and writes the report and ROC plots — untrained vs
/// trained, so the plot shows what training bought.
public struct SyntheticDemo {
    /// People the model trains on.
    public var trainIdentities = 200
    /// Photos per training person.
    public var trainImagesPerIdentity = 16
    /// Unseen people the model is tested on.
    public var testIdentities = 60
    /// Photos per test person.
    public var testImagesPerIdentity = 8
    /// Nuisance conditions of all photos.
    public var ranges = SyntheticConditionRanges.standard
    public var recipe = FaceRecognitionRecipe(architecture: .mobileNetV2(expansion: 6), embeddingSize: 128)
    public var config = TrainingConfig(
        length: .steps(300), batchSize: 64, learningRate: 0.1, schedule: .cosine(minimumLearningRate: 0),
        checkpointInterval: 100, logInterval: 10, outputDirectory: "runs/demo")
    public var workers = 2
    public var showsProgress = true

    public init() {}

    /// What the demo wrote.
    public struct Outcome {
        public var report: EvaluationReport
        public var summary: TrainingSummary
        public var files: [URL]
    }

    /// Trains, evaluates and writes `report.json`, `report.md`, `roc.png`, `roc.svg`, `test_pairs.txt` and
    /// `model.safetensors` into the config's output folder.
    public func run(resume: Bool = false) throws -> Outcome {
        let folder = config.outputURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let train = try SyntheticDataset(identities: trainIdentities, imagesPerIdentity: trainImagesPerIdentity,
                                         seed: 1, ranges: ranges)
        // Another seed draws other people: the test identities are disjoint from the training ones.
        let test = try SyntheticDataset(identities: testIdentities, imagesPerIdentity: testImagesPerIdentity,
                                        seed: 2, ranges: ranges)
        let pairsURL = folder.appendingPathComponent("test_pairs.txt")
        try test.pairs(folds: 10).write(to: pairsURL)
        let validation = PairValidation(pairs: try PairList(contentsOf: pairsURL),
                                        images: try SyntheticFaceSource(dataset: test), name: "synthetic_test")

        let training = try FaceRecognitionTraining(recipe: recipe, config: config, classes: trainIdentities)
        training.workers = workers
        training.showsProgress = showsProgress
        let untrained = try validation.evaluate(training.model.backbone, inputSize: recipe.inputSize,
                                                resultName: "untrained \(recipe.architecture)")
        let summary = try training.run(on: SyntheticFaceSource(dataset: train), resume: resume, validation: validation)
        let trained = try validation.evaluate(training.model.backbone, inputSize: recipe.inputSize,
                                              resultName: "trained \(recipe.architecture)")

        let report = EvaluationReport(verification: [trained, untrained])
        let written = try report.write(to: folder)
        let plot = try ROCPlot(report: report)
        let png = folder.appendingPathComponent("roc.png"), svg = folder.appendingPathComponent("roc.svg")
        try Data(try plot.pngData()).write(to: png, options: .atomic)
        try Data(plot.svg().utf8).write(to: svg, options: .atomic)
        return Outcome(report: report, summary: summary,
                       files: [written.json, written.markdown, png, svg, pairsURL, training.modelURL])
    }
}
