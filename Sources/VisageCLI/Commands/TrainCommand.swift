import ArgumentParser
import Foundation
import Visage

/// `visage train`: train a face recognition model with a margin loss, optionally with DDL on a hard view.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a face recognition backbone (ArcFace/CosFace/CurricularFace/softmax, optional DDL).",
        discussion: """
            Settings come from --config (a TrainingConfig JSON file) and are overridden by the flags given. OUT \
            receives log.jsonl, recipe.json, checkpoints/ and, at the end, model.safetensors (usable by \
            `visage embed` and `visage eval --model`). A killed run continues exactly with --resume.
            """)

    @OptionGroup var data: TrainingDataOptions

    @Option(help: ArgumentHelp(
        "Backbone: mobilefacenet, iresnet18|34|50, mobilenetv2-t6|t10|t16, bridge-student, mobilefacenet-ms1m."))
    var arch = "mobilefacenet"

    @Option(help: "Embedding size.")
    var embeddingSize = 512

    @Option(help: "Input side in pixels; faces of another size are resized to it.")
    var inputSize = 112

    @Option(help: "Margin loss: softmax, cosface, arcface, curricularface.")
    var loss = "arcface"

    @Option(help: "Hard view: degrade every face to one of these resolutions (comma-separated, e.g. 16,24,32).")
    var hardResolutions: String?

    @Option(help: "Hard view: strength of the random illumination change, 0…1.")
    var hardIllumination = 0.0

    @Option(help: "Hard view: landmark jitter in template pixels before re-alignment.")
    var hardJitter = 0.0

    @Flag(help: "Add the Distribution Distillation Loss from each face to its hard view (needs a hard view).")
    var ddl = false

    @Option(help: "Keep up to this many images of one identity together in a batch (same-identity pairs for --ddl).")
    var identityGroups: Int?

    @Option(help: ArgumentHelp("Start from this Visage model's backbone weights, or an engine's whose architecture "
                                   + "Visage trains (mobilefacenet-ms1m) (fine-tuning).",
                               discussion: "Its architecture, embedding size and input size must be the run's. The "
                                   + "head starts at each identity's mean embedding under this model."))
    var initialModel: String?

    @Option(help: "TrainingConfig JSON file; the flags below override it.")
    var config: String?

    @Option(help: "Optimizer steps (overrides the config's length).")
    var steps: Int?

    @Option(help: "Epochs (overrides the config's length).")
    var epochs: Int?

    @Option(help: "Batch size.")
    var batchSize: Int?

    @Option(help: "Base learning rate.")
    var lr: Double?

    @Option(help: "Seed for initialization, order and augmentation.")
    var seed: UInt64?

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery: Int?

    @Option(help: "Steps between validations (needs --val-pairs).")
    var validateEvery: Int?

    @Option(help: "Output folder.")
    var out: String?

    @Option(help: "Pair list to validate on during training (LFW format).")
    var valPairs: String?

    @Option(help: "Image folder the validation pairs refer to.")
    var valRoot: String?

    @Option(help: "Decoding threads.")
    var workers = 2

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be positive, got \(workers)") }
    }

    @Flag(help: "Continue the run in the output folder from its last checkpoint.")
    var resume = false

    func run() throws {
        let configuration = try trainingConfig()
        let recipe = try self.recipe()
        let (source, classes, description, skipped) = try data.source()
        let validation = try valPairs.map { pairs -> PairValidation in
            guard let valRoot else { throw ValidationError("--val-pairs needs --val-root, the folder of its images") }
            return try PairValidation(pairs: PairList(contentsOf: URL(fileURLWithPath: pairs)),
                                      root: URL(fileURLWithPath: valRoot))
        }
        let initial = try initialModel.map { try FaceModel.load($0) }
        let training = try FaceRecognitionTraining(recipe: recipe, config: configuration, classes: classes,
                                                   initialModel: initial)
        training.workers = workers
        training.skippedImages = skipped
        let profile = try ModelProfile.measure(training.model.backbone, inputSize: recipe.inputSize)
        print("training \(recipe.architecture) (\(profile.parameters) parameters, "
            + String(format: "%.3f GFLOPs", Double(profile.flops) / 1e9) + ") with \(loss)\(ddl ? " + DDL" : "") on \(description)"
            + (initial.map { ", starting from \($0.identifier)" } ?? ""))
        let summary = try training.run(on: source, resume: resume, validation: validation)
        print(summary.description)
        print("model: \(training.modelURL.path)")
    }

    func recipe() throws -> FaceRecognitionRecipe {
        var recipe = FaceRecognitionRecipe(
            architecture: try BackboneArchitecture(parsing: arch), embeddingSize: embeddingSize, inputSize: inputSize,
            margin: try MarginKind(parsing: loss))
        if let hardResolutions {
            let resolutions = try hardResolutions.split(separator: ",").map { text -> Int in
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw ValidationError("--hard-resolutions: '\(text)' is not a positive integer")
                }
                return value
            }
            recipe.hardView = try Degradation(resolutions: resolutions, illumination: hardIllumination,
                                              landmarkJitter: hardJitter)
        }
        if ddl { recipe.distillation = DistributionDistillationLoss() }
        recipe.identityGroupSize = identityGroups
        try recipe.validate()
        return recipe
    }

    func trainingConfig() throws -> TrainingConfig {
        var configuration = try config.map { try TrainingConfig.load(from: URL(fileURLWithPath: $0)) }
            ?? TrainingConfig(length: .steps(1000), batchSize: 64, schedule: .cosine(minimumLearningRate: 0),
                              checkpointInterval: 200, logInterval: 20)
        if steps != nil && epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
        if let steps { configuration.length = .steps(steps) }
        if let epochs { configuration.length = .epochs(epochs) }
        if let batchSize { configuration.batchSize = batchSize }
        if let lr { configuration.learningRate = lr }
        if let seed { configuration.seed = seed }
        if let checkpointEvery { configuration.checkpointInterval = checkpointEvery }
        if let validateEvery { configuration.validationInterval = validateEvery }
        if let out { configuration.outputDirectory = out }
        return configuration
    }
}
