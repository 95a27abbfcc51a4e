import Foundation
import Torch

/// A face recognition training run: builds the model and head a ``FaceRecognitionRecipe`` describes, trains
/// them on a ``FaceSource`` with the generic ``Trainer`` (checkpoints, resume, log, NaN stop), and writes the
/// trained model as `model.safetensors` in the run's folder.
public final class FaceRecognitionTraining {
    public let recipe: FaceRecognitionRecipe
    public let config: TrainingConfig
    public let model: FaceModel
    /// The margin-softmax head: ``MarginSoftmax``, or this rank's ``PartialFC`` with the recipe's Partial FC.
    public let head: any ClassificationHead
    /// Decoding threads of the loader.
    public var workers = 2
    /// Whether the trainer draws a progress bar.
    public var showsProgress = true
    /// The ranks this process trains with (``DataParallel``); nil for one process. Rank 0 alone writes the run
    /// folder (recipe, log, model, checkpoints but for the other ranks' Partial FC shares).
    public let dataParallel: DataParallel?

    /// Where the trained model is written.
    public var modelURL: URL { config.outputURL.appendingPathComponent("model.safetensors") }
    /// Images left out of the data because they could not be read (`visage train --skip-bad`), recorded in the
    /// run folder as `skipped-images.txt`.
    public var skippedImages: [BadImage] = []
    /// Where the recipe is recorded.
    public var recipeURL: URL { config.outputURL.appendingPathComponent("recipe.json") }

    /// Builds the model for `classes` identities: freshly initialized, or with the backbone weights of
    /// `initialModel` (fine-tuning; the head is then imprinted from the training faces when a fresh
    /// ``run(on:resume:validation:)`` starts). libtorch is seeded with the config's seed first, so the initialization is reproducible.
    ///
    /// The recipe this run records (``recipe``) names the initial model, so a resume with another one is
    /// refused; it throws when `initialModel` is not of the recipe's architecture, embedding size and input size.
    /// With the recipe's Partial FC the head is this rank's share of the classes among `dataParallel`'s ranks.
    public init(recipe: FaceRecognitionRecipe, config: TrainingConfig, classes: Int,
                initialModel: FaceModel? = nil, dataParallel: DataParallel? = nil) throws {
        try recipe.validate()
        try config.validate()
        guard classes >= 2 else {
            throw DataError.invalidArgument("training needs at least 2 identities, the data has \(classes)")
        }
        Runtime.seed(config.seed)
        var recipe = recipe
        recipe.initialModel = initialModel?.identifier
        self.recipe = recipe
        self.config = config
        self.dataParallel = dataParallel
        model = FaceModel(architecture: recipe.architecture, embeddingSize: recipe.embeddingSize,
                          inputSize: recipe.inputSize)
        head = if let sampleRate = recipe.partialFCSampleRate {
            try PartialFC(embeddingSize: recipe.embeddingSize, classes: classes, kind: recipe.margin,
                          sampleRate: sampleRate, group: dataParallel?.group)
        } else {
            MarginSoftmax(embeddingSize: recipe.embeddingSize, classes: classes, kind: recipe.margin)
        }
        if let initialModel {
            let found = (initialModel.architecture, initialModel.embeddingSize, initialModel.inputSize)
            guard found == (recipe.architecture, recipe.embeddingSize, recipe.inputSize) else {
                let architecture = found.0.map(\.description) ?? "an engine Visage does not train"
                throw DataError.invalidArgument(
                    "the initial model \(initialModel.identifier) is \(architecture) \(found.1)-D at \(found.2)², the run "
                        + "trains \(recipe.architecture) \(recipe.embeddingSize)-D at \(recipe.inputSize)²")
            }
            try model.backbone.loadStateDict(initialModel.backbone.stateDict())
        }
    }

    /// Trains on `source` (labels 0..<classes) and saves the model.
    /// - Parameters:
    ///   - resume: continue from the last checkpoint in the output folder instead of starting afresh.
    ///   - validation: verification run every `validation_interval` steps and at the end.
    public func run(on source: any FaceSource, resume: Bool = false,
                    validation: PairValidation? = nil) throws -> TrainingSummary {
        let isPrimary = dataParallel?.isPrimary ?? true
        let lock = isPrimary ? try RunFolderLock(config.outputURL) : nil
        defer { withExtendedLifetime(lock) {} }
        if isPrimary { try recordRecipe(resume: resume) }
        if isPrimary, !skippedImages.isEmpty {
            try AtomicFile.write(Data(skippedImages.map { "\($0)\n" }.joined().utf8),
                                 to: config.outputURL.appendingPathComponent("skipped-images.txt"))
        }
        let augmentation = recipe.augmentation
        let transform: BatchLoader.Transform = { image, generator in augmentation.apply(to: image, using: &generator) }
        var hardTransform: BatchLoader.Transform?
        if let degradation = recipe.hardView {
            hardTransform = { image, generator in try degradation.apply(to: image, using: &generator) }
        }
        let faces = try ResizedFaceSource(source, side: recipe.inputSize)
        let loader = try BatchLoader(
            source: faces, batchSize: config.batchSize, shuffle: true,
            identityGroupSize: recipe.identityGroupSize, dropLast: true, seed: config.seed, imageSize: recipe.inputSize, channels: 3, workers: workers, transform: transform,
            hardTransform: hardTransform, shard: dataParallel?.shard ?? .whole)
        let objective: any TrainingObjective = if let distillation = recipe.distillation {
            DistributionDistillationObjective(backbone: model.backbone, head: head, distillation: distillation)
        } else {
            ClassificationObjective(backbone: model.backbone, head: head)
        }
        let backbone = model.backbone, inputSize = recipe.inputSize
        var validate: ((Int) throws -> [String: Double])?
        if let validation {
            validate = { _ in try validation.metrics(of: backbone, inputSize: inputSize) }
        }
        if recipe.initialModel != nil && !resume {
            // The identities are new to the pretrained backbone: start each class weight at the class's mean
            // embedding rather than at a random direction, which a margin loss at s = 64 first fights against.
            // A resumed run skips this pass over the data: its checkpoint holds the head.
            let embeddings = try model.embedder(workers: workers).embed(source, showProgress: showsProgress)
            try head.imprint(embeddings: embeddings, labels: (0..<source.count).map(source.label(at:)))
        }
        let trainer = try Trainer(objective: objective, loader: loader, config: config, validation: validate,
                                  dataParallel: dataParallel)
        trainer.showsProgress = showsProgress
        let summary = try trainer.run(resume: resume)
        guard isPrimary else { return summary }
        model.backbone.eval()
        model.identifier = "\(recipe.architecture)-\(recipe.embeddingSize)d-\(model.weightsDigest())"
        try model.save(to: modelURL)
        return summary
    }

    /// Writes `recipe.json`, or on resume checks the run was started with the same recipe, naming every setting
    /// that differs.
    private func recordRecipe(resume: Bool) throws {
        if resume, FileManager.default.fileExists(atPath: recipeURL.path) {
            let recorded: FaceRecognitionRecipe
            do {
                recorded = try ConfigKeys.decode(FaceRecognitionRecipe.self, from: Data(contentsOf: recipeURL),
                                                 file: recipeURL.path)
            } catch {
                throw DataFileError(recipeURL, "cannot be read as this version's recipe (\(error)); resume with the "
                    + "Visage version that started the run, or start a new output folder")
            }
            let differences = recorded.differences(from: recipe)
            guard differences.isEmpty else {
                throw DataFileError(recipeURL, "records another recipe than this run's: "
                    + differences.joined(separator: "; ")
                    + ". Resume with the recorded settings or start a new output folder")
            }
            return
        }
        // A fresh run into another run's folder is refused by the trainer; refuse it here first, before this
        // run's recipe replaces the one that run needs to resume.
        let checkpoints = config.outputURL.appendingPathComponent("checkpoints").path
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: checkpoints), !entries.isEmpty {
            throw TrainingError.existingRun(directory: config.outputURL.path)
        }
        try FileManager.default.createDirectory(at: config.outputURL, withIntermediateDirectories: true)
        try AtomicFile.write(recipe.jsonData(), to: recipeURL)
    }
}
