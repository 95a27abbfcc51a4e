import ArgumentParser
import Foundation
import Visage

/// `visage cross-model train`: learn a source → target feature transformation on the training identities.
struct CrossModelTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train R³AN (or a Table 3 ablation, or the FC baseline) from paired features and faces.",
        discussion: """
            Pairs the rows of SOURCE and TARGET by image path, trains on the identities of --train-people (or \
            holds out --test-fraction of the identities at random and trains on the rest) with SGD (learning rate 0.08 ÷10 at 30/50/70 % of the run, momentum 0.9, weight \
            decay 1e-3). R³AN runs Algorithm 1 on 56×56 faces and checkpoints into OUT (transformer.safetensors, \
            discriminator.safetensors, optimizers.safetensors; --resume continues from them); FC needs no images. \
            OUT/transformer.safetensors is what `visage transform` reads. Source and target features must belong \
            to differently named models (their stamps, else their file names).
            """)

    @OptionGroup var data: CrossModelDataOptions

    @Option(name: .long, help: "Folder for the transformer and checkpoints.")
    var out: String

    @Option(name: .long, help: "R3AN, Arch1 … Arch7 (Table 3), or FC.")
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

    @Option(name: .long, help: "Iterations between R³AN checkpoints.")
    var checkpointEvery: Int = 500

    @Option(name: .long, help: "Image-decoding threads.")
    var workers: Int = 2

    @Flag(name: .long, help: "Continue an R³AN run from the checkpoint in --out.")
    var resume = false

    func validate() throws {
        guard arch.lowercased() == "fc" || R3ANConfiguration.named(arch) != nil else {
            throw ValidationError("--arch must be R3AN, Arch1 … Arch7 or FC, got \(arch)")
        }
        guard epochs > 0, iterations.map({ $0 > 0 }) ?? true, checkpointEvery > 0, workers > 0 else {
            throw ValidationError("--epochs, --iterations, --checkpoint-every and --workers must be positive")
        }
    }

    func run() throws {
        let pairs = try data.loadPairs()
        let train = try data.split(pairs).train
        let total = iterations ?? max(1, epochs * (train.count / batchSize))
        let settings = CrossModelTrainingSettings(
            iterations: total, batchSize: batchSize, learningRate: learningRate, seed: data.seed,
            reconstructionOptimizer: reconstructionOptimizer)
        let outURL = URL(fileURLWithPath: out)
        print("\(train.count) training pairs of \(train.identities.count) identities, \(pairs.sourceModel) "
            + "(\(pairs.sourceDimension)-D) → \(pairs.targetModel) (\(pairs.targetDimension)-D), \(arch), "
            + "\(total) iterations of \(batchSize)")
        if arch.lowercased() == "fc" {
            let budget = R3ANTransformation(sourceDimension: pairs.sourceDimension,
                                            targetDimension: pairs.targetDimension).parameterCount
            let trainer = try FeatureMLPTrainer(
                sourceDimension: pairs.sourceDimension, targetDimension: pairs.targetDimension,
                hiddenWidth: FeatureMLP.hiddenWidth(sourceDimension: pairs.sourceDimension,
                                                    targetDimension: pairs.targetDimension, parameterBudget: budget),
                settings: settings)
            let progress = ProgressBar("train FC", total: total, unit: "it")
            try trainer.train(on: train, progress: progress)
            progress.finish()
            try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
            let url = CrossModelTrainer.checkpointFiles(in: outURL).transformer
            try trainer.transformer(sourceModel: pairs.sourceModel, targetModel: pairs.targetModel).save(to: url)
            print("FC (\(trainer.mlp.parameterCount) parameters, R³AN has \(budget)) written to \(url.path)")
            return
        }
        let trainer = try CrossModelTrainer(
            sourceDimension: pairs.sourceDimension, targetDimension: pairs.targetDimension,
            configuration: R3ANConfiguration.named(arch)!, settings: settings)
        if resume { try trainer.resume(from: outURL) }
        let progress = ProgressBar("train \(arch)", total: total - trainer.iteration, unit: "it")
        let last = try trainer.train(on: train, checkpoints: outURL, checkpointInterval: checkpointEvery,
                                     workers: workers, progress: progress)
        progress.finish()
        print("\(arch) after \(trainer.iteration) iterations: \(last.summary); written to "
            + CrossModelTrainer.checkpointFiles(in: outURL).transformer.path)
    }
}

extension ReconstructionOptimizer: ExpressibleByArgument {}
