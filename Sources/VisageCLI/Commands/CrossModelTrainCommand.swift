import ArgumentParser
import Foundation
import Visage

/// `visage cross-model train`: learn a source → target feature transformation on the training identities.
struct CrossModelTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train R³AN (or a Table 3 ablation, the FC baseline, or the closed-form linear map) from paired features.",
        discussion: """
            Pairs the rows of SOURCE and TARGET by image path, trains on the identities of --train-people (or \
            holds out --test-fraction of the identities at random and trains on the rest) and writes \
            OUT/transformer.safetensors, what `visage transform` reads. R³AN and its ablations (Algorithm 1 on \
            56×56 faces) and FC (features only) train with the project's trainer: SGD (learning rate 0.08 ÷10 at \
            30/50/70 % of the run, momentum 0.9, weight decay 1e-3), a log in OUT/log.jsonl and checkpoints in \
            OUT/checkpoints; --resume continues a killed run exactly and refuses changed settings. linear solves \
            the ridge-regularized least-squares map in closed form (no iterations). Source and target features \
            must belong to differently named models (their stamps, else their file names).
            """)

    @OptionGroup var data: CrossModelDataOptions

    @Option(name: .long, help: "Folder for the transformer, the log and the checkpoints.")
    var out: String

    @Option(name: .long, help: "R3AN, Arch1 … Arch7 (Table 3), FC, or linear.")
    var arch: String = "R3AN"

    @Option(name: .long, help: "Passes over the training pairs (ignored when --iterations is given).")
    var epochs: Int = 10

    @Option(name: .long, help: "Total mini-batch iterations.")
    var iterations: Int?

    @Option(name: .long, help: "Pairs per mini-batch (the paper: 512).")
    var batchSize: Int = 64

    @Option(name: .long, help: "Initial learning rate.")
    var learningRate: Double = 0.08

    @Option(name: .long, help: ArgumentHelp(
        "Optimizer of R³AN's discriminator and generator: adam (2e-4, β₁ 0.5) or sgd (the paper's).",
        discussion: "The paper's SGD at 0.08 saturates the generator on LFW; the extractor always uses SGD."))
    var reconstructionOptimizer: ReconstructionOptimizer = .adam

    @Option(name: .long, help: ArgumentHelp(
        "Iterations that pretrain R³AN's extractor on the real faces before Algorithm 1 (not in the paper).",
        discussion: "The extractor regresses the target features scaled to --pretraining-target-norm (squared "
            + "distance, weight --pretraining-regression), plus a softmax over the training identities (weight "
            + "--pretraining-classification), with the gradient clipped to norm 5, in OUT/extractor-pretraining; "
            + "Algorithm 1 then regresses "
            + "targets at that norm too. Without it (the paper) the extractor settles at the mean target feature "
            + "between two strong engines."))
    var extractorPretraining: Int?

    @Option(name: .long, help: "Norm of the target features the pretrained extractor regresses.")
    var pretrainingTargetNorm: Double = 15

    @Option(name: .long, help: "Weight of the squared distance to the scaled targets in the extractor's pretraining.")
    var pretrainingRegression: Double = 0.05

    @Option(name: .long, help: "Weight of the identity cross-entropy in the extractor's pretraining.")
    var pretrainingClassification: Double = 1

    @Option(name: .long, help: "Ridge weight λ of the linear map (--arch linear).")
    var ridge: Double = 1

    @Option(name: .long, help: "Iterations between checkpoints.")
    var checkpointEvery: Int = 500

    @Option(name: .long, help: "Image-decoding threads.")
    var workers: Int = 2

    @Flag(name: .long, help: "Continue the run whose checkpoints are in --out.")
    var resume = false

    private var isLinear: Bool { arch.lowercased() == "linear" }

    func validate() throws {
        guard arch.lowercased() == "fc" || isLinear || R3ANConfiguration.named(arch) != nil else {
            throw ValidationError("--arch must be R3AN, Arch1 … Arch7, FC or linear, got \(arch)")
        }
        guard epochs > 0, iterations.map({ $0 > 0 }) ?? true, checkpointEvery > 0, workers > 0 else {
            throw ValidationError("--epochs, --iterations, --checkpoint-every and --workers must be positive")
        }
        guard ridge > 0, ridge.isFinite else { throw ValidationError("--ridge must be positive, got \(ridge)") }
        if extractorPretraining != nil, arch.lowercased() == "fc" || isLinear {
            throw ValidationError("--extractor-pretraining is for R³AN and its ablations; --arch \(arch) has no extractor")
        }
        if isLinear && resume {
            throw ValidationError("--arch linear is solved in closed form in one go: there is no run to resume")
        }
    }

    func run() throws {
        let pairs = try data.loadPairs()
        let train = try data.split(pairs).train
        let outURL = URL(fileURLWithPath: out, isDirectory: true)
        let transformerURL = outURL.appendingPathComponent("transformer.safetensors")
        if isLinear {
            try solveLinear(train, out: outURL, transformerURL: transformerURL)
            return
        }
        let total = iterations ?? max(1, epochs * (train.count / batchSize))
        let objective: any TransformerObjective = if arch.lowercased() == "fc" {
            try FeatureMLPObjective(pairs: train, seed: data.seed)
        } else {
            try R3ANObjective(
                pairs: train, configuration: R3ANConfiguration.named(arch)!,
                reconstructionOptimizer: reconstructionOptimizer,
                extractorPretraining: extractorPretraining.map {
                    R3ANExtractorPretraining.Settings(
                        iterations: $0, targetNorm: pretrainingTargetNorm, regressionWeight: pretrainingRegression,
                        classificationWeight: pretrainingClassification)
                },
                seed: data.seed)
        }
        let config = TrainingConfig.crossModel(
            iterations: total, batchSize: batchSize, learningRate: learningRate, seed: data.seed, output: outURL,
            checkpointInterval: checkpointEvery)
        print("\(train.count) training pairs of \(train.identities.count) identities, \(pairs.sourceModel) "
            + "(\(pairs.sourceDimension)-D) → \(pairs.targetModel) (\(pairs.targetDimension)-D), \(arch) "
            + "(\(objective.modules.values.map(\.parameterCount).reduce(0, +)) parameters), \(total) iterations of "
            + "\(batchSize)")
        let trainer = try Trainer(
            objective: objective, loader: try objective.batches(batchSize: batchSize, seed: data.seed, workers: workers),
            config: config)
        var resumesAlgorithmOne = resume
        if let stage = try (objective as? R3ANObjective)?.pretrainingStage(seed: data.seed) {
            resumesAlgorithmOne = try stage.train(before: trainer, resume: resume, batchSize: batchSize,
                                                  workers: workers, showsProgress: true) { print($0) }
        }
        let summary = try trainer.run(resume: resumesAlgorithmOne)
        try objective.transformer().save(to: transformerURL, extra: ["iteration": "\(summary.steps)"])
        let losses = summary.losses.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4g", $0.value))" }
        print("\(arch) after \(summary.steps) iterations: \(losses.joined(separator: ", ")); written to "
            + transformerURL.path)
    }

    /// Solves the linear map on `train` and writes it, refusing a folder that holds a trained run's checkpoints.
    private func solveLinear(_ train: CrossModelPairs, out: URL, transformerURL: URL) throws {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let lock = try RunFolderLock(out)
        defer { withExtendedLifetime(lock) {} }
        guard CheckpointStore(directory: out.appendingPathComponent("checkpoints"), kept: 1).checkpoints.isEmpty else {
            throw ValidationError("\(out.path) holds the checkpoints of a trained run; choose another --out")
        }
        try FeatureTransformer.linear(fittedOn: train, ridge: ridge)
            .save(to: transformerURL, extra: ["ridge": "\(ridge)", "training_pairs": "\(train.count)"])
        print("linear map (ridge \(ridge)) from \(train.count) training pairs of \(train.identities.count) identities, "
            + "\(train.sourceModel) (\(train.sourceDimension)-D) → \(train.targetModel) (\(train.targetDimension)-D), "
            + "written to \(transformerURL.path)")
    }
}

extension ReconstructionOptimizer: ExpressibleByArgument {}
