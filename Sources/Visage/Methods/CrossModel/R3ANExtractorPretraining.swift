import Foundation
import Torch

/// A stage before R³AN's Algorithm 1, and a departure from the paper: the extractor E learns the target model
/// from the real faces alone, as the bridge-distillation students learn their teacher — ``Settings/regressionWeight``
/// times the squared L2 distance to the target features rescaled to norm ``Settings/targetNorm``, plus
/// ``Settings/classificationWeight`` times a softmax cross-entropy over the training identities on E's features,
/// with the gradient clipped to norm 5.
///
/// Why: trained from scratch by Eq. 8 alone (the L2 distance to unit-norm targets), E settles at the mean target
/// feature between two strong engines (L_Rep ≈ 0.40 and E(I) top-1 0.05 % on LFW, issue 15), so `E(G(X))` maps
/// every source feature to about the same point whatever the generator draws. The scaled targets give the
/// regression a gradient that the mean does not zero, and the identities a discriminative signal.
///
/// Modules: `extractor` (the R³AN objective's own, trained in place) and `classifier`.
public final class R3ANExtractorPretraining: LossObjective {
    /// How long and with what the extractor is pretrained; part of the R³AN run's settings, so a resumed run
    /// must have the same.
    public struct Settings: Sendable, Equatable {
        /// Mini-batch iterations of the stage.
        public var iterations: Int
        /// Norm the target features are scaled to (bridge distillation's `regression_target_norm`).
        public var targetNorm: Double
        /// Weight of the squared distance to the scaled targets (bridge distillation's `regression_weight`).
        public var regressionWeight: Double
        /// Weight of the identity cross-entropy against the regression.
        public var classificationWeight: Double

        /// The settings, by default bridge distillation's: target norm 15, regression weight 0.05, classification
        /// weight 1.
        public init(iterations: Int, targetNorm: Double = 15, regressionWeight: Double = 0.05,
                    classificationWeight: Double = 1) {
            self.iterations = iterations
            self.targetNorm = targetNorm
            self.regressionWeight = regressionWeight
            self.classificationWeight = classificationWeight
        }

        /// Throws unless the iterations are positive, the norm positive and finite, the weights finite and
        /// non-negative, not both zero.
        public func validate() throws {
            guard iterations > 0 else {
                throw CrossModelError.invalidConfiguration("extractor pretraining needs a positive number of iterations, got \(iterations)")
            }
            guard targetNorm > 0, targetNorm.isFinite else {
                throw CrossModelError.invalidConfiguration("the pretraining target norm must be positive and finite, got \(targetNorm)")
            }
            for (name, weight) in [("regression", regressionWeight), ("classification", classificationWeight)] {
                guard weight >= 0, weight.isFinite else {
                    throw CrossModelError.invalidConfiguration(
                        "the pretraining \(name) weight must be finite and non-negative, got \(weight)")
                }
            }
            guard regressionWeight + classificationWeight > 0 else {
                throw CrossModelError.invalidConfiguration("the pretraining regression and classification weights are both 0")
            }
        }

        /// The settings in one line, as a resumed R³AN run compares them.
        public var summary: String {
            "\(iterations) iterations, target norm \(targetNorm), regression \(regressionWeight), "
                + "classification \(classificationWeight)"
        }
    }

    public let pairs: CrossModelPairs
    public let settings: Settings
    /// The extractor being pretrained.
    public let extractor: R3ANExtractor
    /// Softmax over the training identities on the extractor's features; dropped after the stage.
    public let classifier: MarginSoftmax

    /// A stage training `extractor` on `pairs`' faces; the classifier is initialized from `seed`.
    public init(pairs: CrossModelPairs, extractor: R3ANExtractor, settings: Settings, seed: UInt64) throws {
        try settings.validate()
        guard extractor.targetDimension == pairs.targetDimension else {
            throw CrossModelError.incompatibleFeatures(
                "the extractor gives \(extractor.targetDimension)-D features, the target model \(pairs.targetModel) "
                    + "\(pairs.targetDimension)-D")
        }
        self.pairs = pairs
        self.settings = settings
        self.extractor = extractor
        Runtime.seed(seed)
        classifier = MarginSoftmax(embeddingSize: pairs.targetDimension, classes: pairs.identities.count, kind: .softmax)
    }

    public var modules: [String: Module] { ["extractor": extractor, "classifier": classifier] }

    public var trajectorySettings: [String: String] {
        pairs.modelSettings.merging(["stage": "R3AN extractor pretraining", "pretraining": settings.summary,
                              "identities": "\(pairs.identities.count)"]) { current, _ in current }
    }

    /// The weighted regression to the scaled target features plus the weighted identity cross-entropy; logged
    /// unweighted as `regression` and `classification`.
    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let (_, target) = try pairs.featureTensors(rows: batch.indices, targetNorm: settings.targetNorm)
        let features = extractor(batch.images)
        let regression = FeatureRegressionLoss()(student: features, adaptedTeacher: target)
        let classification = classifier.loss(features, labels: batch.labels)
        return ["loss": regression * settings.regressionWeight + classification * settings.classificationWeight,
                "regression": regression,
                "classification": classification]
    }

    /// Runs the stage before `algorithmOne` (the R³AN trainer whose objective owns this extractor) in the run
    /// folder's `extractor-pretraining/`, and says whether Algorithm 1 then resumes.
    ///
    /// Once Algorithm 1 has a checkpoint it holds the pretrained extractor, so the stage is skipped and Algorithm 1
    /// resumes (with `resume`). Before that the stage trains, continues from its own newest checkpoint, or loads
    /// its completed run, and Algorithm 1 starts fresh from it. A fresh run (`resume` false) refuses a folder
    /// whose stage has begun, as the trainer refuses one holding checkpoints.
    /// - Throws: ``TrainingError/existingRun(directory:)`` for that folder; whatever the stage's training throws.
    public func train(before algorithmOne: Trainer, resume: Bool, batchSize: Int, workers: Int, showsProgress: Bool,
                      report: @escaping (String) -> Void) throws -> Bool {
        let recipe = algorithmOne.config
        let folder = URL(fileURLWithPath: recipe.outputDirectory, isDirectory: true)
            .appendingPathComponent("extractor-pretraining", isDirectory: true)
        guard resume || !FileManager.default.fileExists(atPath: folder.path) else {
            throw TrainingError.existingRun(directory: folder.path)
        }
        guard algorithmOne.checkpoints.latest == nil else { return resume }
        try train(recipe: recipe, batchSize: batchSize, workers: workers, output: folder, showsProgress: showsProgress,
                  report: report)
        return false
    }

    /// Trains the stage in `output` (its own checkpoints and log) with the R³AN run's optimization at the stage's
    /// length and the gradient clipped to norm 5 (arcface_torch's), or loads it when a completed run is there; a
    /// stopped stage continues from its newest checkpoint.
    public func train(recipe: TrainingConfig, batchSize: Int, workers: Int, output: URL, showsProgress: Bool,
                      report: @escaping (String) -> Void) throws {
        try pairs.checkTrainable(by: "extractor", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: batchSize)
        var config = TrainingConfig.crossModel(
            iterations: settings.iterations, batchSize: batchSize, learningRate: recipe.learningRate,
            seed: recipe.seed, output: output, checkpointInterval: recipe.checkpointInterval)
        config.logInterval = recipe.logInterval
        config.gradientClipNorm = 5
        let loader = try BatchLoader(source: pairs, batchSize: batchSize, shuffle: true, dropLast: true,
                                     seed: recipe.seed &+ 1, imageSize: pairs.faceSize, channels: 3, workers: workers)
        try TrainingStage(name: "extractor pretraining", config: config, report: report, showsProgress: showsProgress)
            .run(self, loader: loader)
    }
}
