import ArgumentParser
import Foundation
import Visage

/// `visage train`: train a face recognition model with a margin loss, optionally with DDL on a hard view.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a face recognition backbone (ArcFace/CosFace/CurricularFace/softmax, optional DDL).",
        discussion: """
            Settings come from --config (a JSON file of TrainingConfig keys, with the model and loss under \
            "recipe": architecture, embedding_size, input_size, loss, scale, margin, augmentation, hard_view, \
            distillation, identity_group_size) and are overridden by the flags given; without either, the \
            embedding and input size are the architecture's. OUT receives log.jsonl, config.json, recipe.json, \
            checkpoints/ and, at the end, model.safetensors (usable by `visage embed` and `visage eval --model`). \
            A killed run continues exactly with --resume; a resume with any other setting is refused, naming it. \
            With --nproc N (or --rank/--world-size and --master or --rendezvous across hosts) N processes train \
            together, data parallel on PyTorch's c10d/Gloo: each takes 1/N of every batch (--batch-size is the \
            whole batch), gradients are averaged, batch norm stays per process (as arcface_torch), rank 0 writes \
            the folder; a run resumes on any number of processes that divides the batch. With --partial-fc each \
            process holds and checkpoints only its share of the class centers (insightface's Partial FC), and \
            the run resumes on the same number of processes only.
            """)

    @OptionGroup var data: TrainingDataOptions

    @OptionGroup(title: "Model and loss") var recipeOptions: RecipeOptions

    @Option(help: ArgumentHelp("Start from this Visage model's backbone weights, or an engine's whose architecture "
                                   + "Visage trains (mobilefacenet-ms1m) (fine-tuning).",
                               discussion: "Its architecture, embedding size and input size must be the run's. The "
                                   + "head starts at each identity's mean embedding under this model."))
    var initialModel: String?

    @Option(help: "Run configuration JSON: trainer settings, and the model and loss under \"recipe\"; flags override it.")
    var config: String?

    @OptionGroup(title: "Trainer") var trainer: TrainerOptions

    @OptionGroup(title: "Several processes") var distributed: DistributedOptions

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
        let settings = try runConfiguration()
        let ranks = distributed.worldSize ?? distributed.nproc
        guard settings.training.batchSize % ranks == 0 else {
            throw ValidationError("\(ranks) processes cannot share a batch of \(settings.training.batchSize): the "
                + "number of processes must divide --batch-size")
        }
        if distributed.nproc > 1 {
            try LocalRanks(arguments: LocalRanks.argumentsWithoutLauncher(CommandLine.arguments),
                           count: distributed.nproc,
                           rendezvous: settings.training.outputURL.appendingPathComponent("rendezvous"),
                           timeout: distributed.timeout).run()
            return
        }
        if let rank = distributed.rank { LocalRanks.stopWithLauncher(rank: rank) }
        let dataParallel = try distributed.dataParallel()
        let isPrimary = dataParallel?.isPrimary ?? true
        let recipe = settings.recipe
        let (source, classes, description, skipped) = try data.source()
        let validation = try valPairs.map { pairs -> PairValidation in
            guard let valRoot else { throw ValidationError("--val-pairs needs --val-root, the folder of its images") }
            return try PairValidation(pairs: PairList(contentsOf: URL(fileURLWithPath: pairs)),
                                      root: URL(fileURLWithPath: valRoot))
        }
        let initial = try initialModel.map { try FaceModel.load($0) }
        let training = try FaceRecognitionTraining(recipe: recipe, config: settings.training, classes: classes,
                                                   initialModel: initial, dataParallel: dataParallel)
        training.workers = workers
        training.skippedImages = skipped
        let profile = try ModelProfile.measure(training.model.backbone, inputSize: recipe.inputSize)
        if isPrimary { print("training \(recipe.summary) (\(profile.parameters) parameters, "
            + String(format: "%.3f GFLOPs", Double(profile.flops) / 1e9) + ") on \(description)"
            + (initial.map { ", starting from \($0.identifier)" } ?? "")
            + (dataParallel.map { " with \($0.worldSize) processes" } ?? "")) }
        let summary = try training.run(on: source, resume: resume, validation: validation)
        guard isPrimary else { return }
        print(summary.description)
        print("model: \(training.modelURL.path)")
    }

    /// The recipe and trainer settings: `--config`, or the defaults, with the flags given over them.
    func runConfiguration() throws -> RecognitionRunConfiguration {
        var settings = try RecognitionRunConfiguration.load(
            from: config.map { URL(fileURLWithPath: $0) }, recipeOverrides: recipeOptions.overrides(of:),
            trainingDefaults: TrainingConfig(length: .steps(1000), batchSize: 64, schedule: .cosine(minimumLearningRate: 0),
                                             checkpointInterval: 200, logInterval: 20))
        settings.training = try trainer.apply(to: settings.training)
        return settings
    }
}
