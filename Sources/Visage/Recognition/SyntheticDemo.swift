import Foundation
import SyntheticFaces
import Torch

/// The first run of a new user: trains a small face model on synthetic people rendered on the fly, evaluates
/// it on other synthetic people (LFW-style 10-fold pairs), and writes the report and ROC plots — untrained vs
/// trained, so the plot shows what training bought. Each network is also verified across condition gaps (see
/// ``SyntheticConditionShiftValidation``): the same pairs with the second photo at a larger pose or a lower
/// resolution than training saw.
public struct SyntheticDemo {
    /// People the model trains on.
    public var trainIdentities = 200
    /// Photos per training person.
    public var trainImagesPerIdentity = 16
    /// Unseen people the model is tested on.
    public var testIdentities = 40
    /// Photos per test person.
    public var testImagesPerIdentity = 8
    /// Folds of the test pairs (identity-disjoint, at least 2 test people each).
    public var testFolds = 10
    /// Nuisance conditions of all photos.
    public var ranges = SyntheticConditionRanges.standard
    /// Conditions the second test photo is moved to, one extra report row per network each.
    public var shifts: [SyntheticConditionShift] = [.largePose, .lowResolution]
    /// The model trained: backbone, embedding size, input side and loss. ArcFace at s = 32, m = 0.3 rather
    /// than insightface's 64 / 0.5, which from scratch in 200 steps at learning rate 0.1 gave 74.5–89.0 %
    /// (matched rows) depending on the machine and thread count.
    public var recipe = FaceRecognitionRecipe(architecture: .mobileNetV2(expansion: 6), embeddingSize: 128, inputSize: 56,
                                              margin: .arcFace(scale: 32, margin: 0.3))
    /// Steps, batch size, schedule and the output folder: 300 steps at learning rate 0.05 after a 20-step warmup,
    /// cosine decay to 0.
    public var config = TrainingConfig(
        length: .steps(300), batchSize: 64, learningRate: 0.05, schedule: .cosine(minimumLearningRate: 0), warmup: 20,
        checkpointInterval: 50, logInterval: 10, outputDirectory: "runs/demo")
    /// Rendering threads of the training loader and of the test photos.
    public var workers = 2
    /// Whether training and embedding show progress bars on standard error.
    public var showsProgress = true

    public init() {}

    /// The model, loss and training run in one line, as the demo reports them.
    public var summary: String {
        let length = switch config.length {
        case .steps(let steps): "\(steps) steps"
        case .epochs(let epochs): "\(epochs) epochs"
        }
        return "\(recipe.summary); \(length) of \(config.batchSize) faces at learning rate "
            + String(format: "%g", config.learningRate) + (config.warmup > 0 ? " after a warmup of \(config.warmup)" : "")
    }

    /// What the demo wrote.
    public struct Outcome {
        /// Trained then untrained rows, each network's in ``SyntheticConditionShiftValidation/conditionLabels`` order.
        public var report: EvaluationReport
        /// What training reported.
        public var summary: TrainingSummary
        /// The files written.
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
        try test.pairs(folds: testFolds).write(to: pairsURL)
        let pairs = try PairList(contentsOf: pairsURL)
        let validation = PairValidation(pairs: pairs, images: try SyntheticFaceSource(dataset: test), name: "synthetic_test")
        let conditionShift = try SyntheticConditionShiftValidation(pairs: pairs, dataset: test, shifts: shifts,
                                                                   inputSize: recipe.inputSize, workers: workers,
                                                                   showProgress: showsProgress)

        let training = try FaceRecognitionTraining(recipe: recipe, config: config, classes: trainIdentities)
        training.workers = workers
        training.showsProgress = showsProgress
        let untrained = try conditionShift.evaluate(training.model.backbone, modelName: "untrained \(recipe.architecture)",
                                                    showProgress: showsProgress)
        let summary = try training.run(on: SyntheticFaceSource(dataset: train), resume: resume, validation: validation)
        let trained = try conditionShift.evaluate(training.model.backbone, modelName: "trained \(recipe.architecture)",
                                                  showProgress: showsProgress)

        let report = EvaluationReport(verification: trained + untrained)
        let written = try report.write(to: folder)
        let plot = try ROCPlot(report: report)
        let png = folder.appendingPathComponent("roc.png"), svg = folder.appendingPathComponent("roc.svg")
        try Data(try plot.pngData()).write(to: png, options: .atomic)
        try Data(plot.svg().utf8).write(to: svg, options: .atomic)
        return Outcome(report: report, summary: summary,
                       files: [written.json, written.markdown, png, svg, pairsURL, training.modelURL])
    }
}
