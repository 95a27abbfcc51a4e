import Foundation
import Torch

/// R³AN's Algorithm 1 as a ``Trainer`` objective: per mini-batch a discriminator update (Eq. 5), a generator
/// update (Eq. 7), an extractor update (Eq. 8) and a joint generator + extractor update (Eq. 9), each with its own
/// optimizers, so momentum never mixes the gradients of different losses.
///
/// The extractor descends with the configuration's SGD as in the paper; the discriminator and the generator (in
/// its own update and its share of the joint one) with ``reconstructionOptimizer`` (Adam by default, since the
/// paper's SGD saturates the generator here; with `.sgd` the run is the paper's). Updates whose losses the
/// ``R3ANConfiguration`` turns off are left out (the discriminator's runs only with adversarial reconstruction).
/// The configured schedule scales every optimizer's rate. Modules: `transformation` (generator and extractor)
/// and `discriminator`; optimizers `optimizer-discriminator`, `optimizer-generator`, `optimizer-extractor`,
/// `optimizer-joint-generator` and `optimizer-joint-extractor`; logged: each update's loss under its name (`discriminator`, `generator`, `extractor`,
/// `joint`), and `reconstruction`, `adversarial`, `representation`, `regression` unweighted.
public final class R3ANObjective: TransformerObjective {
    public let pairs: CrossModelPairs
    /// Which paths and losses are trained.
    public let configuration: R3ANConfiguration
    /// How the discriminator and the generator descend.
    public let reconstructionOptimizer: ReconstructionOptimizer
    /// Generator and extractor.
    public let transformation: R3ANTransformation
    /// The discriminator of the adversarial reconstruction.
    public let discriminator: R3ANDiscriminator
    /// The extractor's pretraining stage before Algorithm 1 (a departure from the paper), or nil for the paper's
    /// run. With it the target features of L_Rep and L_Reg are scaled to its target norm, where the pretrained
    /// extractor's features are; without it they have unit norm.
    public let extractorPretraining: R3ANExtractorPretraining.Settings?

    /// Fresh networks for `pairs`, initialized from `seed`.
    public init(pairs: CrossModelPairs, configuration: R3ANConfiguration,
                reconstructionOptimizer: ReconstructionOptimizer = .adam,
                extractorPretraining: R3ANExtractorPretraining.Settings? = nil, seed: UInt64) throws {
        try configuration.validate()
        try extractorPretraining?.validate()
        if extractorPretraining != nil, !configuration.representation, !configuration.regression {
            throw CrossModelError.invalidConfiguration(
                "extractor pretraining needs an architecture that uses the extractor's features (Rep or Reg on)")
        }
        try pairs.checkTrainable(by: "networks", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: 1)
        self.pairs = pairs
        self.configuration = configuration
        self.reconstructionOptimizer = reconstructionOptimizer
        self.extractorPretraining = extractorPretraining
        Runtime.seed(seed)
        transformation = R3ANTransformation(sourceDimension: pairs.sourceDimension,
                                            targetDimension: pairs.targetDimension)
        discriminator = R3ANDiscriminator()
    }

    public var modules: [String: Module] { ["transformation": transformation, "discriminator": discriminator] }

    /// The pairs' models and dimensions, the Table 3 row (`custom` for other weights), every switch and weight
    /// of the configuration, the reconstruction optimizer and the extractor's pretraining, when there is one.
    public var trajectorySettings: [String: String] {
        let c = configuration
        return pairSettings.merging([
            "architecture": R3ANConfiguration.table3.first { $0.configuration == c }?.name ?? "custom",
            "paths": "adversarial \(c.adversarialReconstruction), l2 \(c.l2Reconstruction), "
                + "representation \(c.representation), regression \(c.regression)",
            "weights": "rec \(c.reconstructionWeight), adv \(c.adversarialWeight), rep \(c.representationWeight), "
                + "reg \(c.regressionWeight)",
            "reconstruction_optimizer": reconstructionOptimizer.rawValue,
        ]) { current, _ in current }
        // Only a pretrained run records the stage, so runs checkpointed before it existed still resume.
        .merging(extractorPretraining.map { ["extractor_pretraining": $0.summary] } ?? [:]) { current, _ in current }
    }

    /// The norm of the target features the losses regress: the pretraining's, else 1.
    public var targetNorm: Double { extractorPretraining?.targetNorm ?? 1 }

    /// A stage that pretrains this objective's extractor in place, or nil when the run has none.
    public func pretrainingStage(seed: UInt64) throws -> R3ANExtractorPretraining? {
        try extractorPretraining.map {
            try R3ANExtractorPretraining(pairs: pairs, extractor: transformation.extractor, settings: $0, seed: seed)
        }
    }

    public func batches(batchSize: Int, seed: UInt64, workers: Int) throws -> any BatchSource {
        try pairs.checkTrainable(by: "networks", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: batchSize)
        return try BatchLoader(source: pairs, batchSize: batchSize, shuffle: true, dropLast: true, seed: seed,
                               imageSize: pairs.faceSize, channels: 3, workers: workers)
    }

    public func transformer() -> FeatureTransformer {
        FeatureTransformer(network: .r3an(transformation, configuration), sourceModel: pairs.sourceModel,
                           targetModel: pairs.targetModel)
    }

    /// The updates of Algorithm 1 that the configuration switches on, in its order.
    public func updates(config: TrainingConfig) throws -> [TrainingUpdate] {
        let sgd = SGD.Hyperparameters(
            learningRate: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay)
        func reconstruction(_ module: Module) throws -> any Optimizer {
            switch reconstructionOptimizer {
            case .sgd:
                return try SGD(module.namedParameters(), sgd)
            case .adam:
                return try Adam(module.namedParameters(), AdamHyperparameters(
                    learningRate: ReconstructionOptimizer.adamLearningRate, beta1: ReconstructionOptimizer.adamBeta1,
                    weightDecay: config.weightDecay))
            }
        }
        let generator = transformation.generator, extractor = transformation.extractor
        let configuration = configuration
        var updates: [TrainingUpdate] = []
        if configuration.adversarialReconstruction {
            // Algorithm 1, line 6: D descends on −L_D (Eq. 5) with G's faces detached.
            updates.append(TrainingUpdate(name: "discriminator",
                                          optimizers: ["optimizer-discriminator": try reconstruction(discriminator)]) {
                [self] batch, _ in
                let (source, _) = try features(of: batch)
                let generated = withoutGrad { generator(source) }
                return ["loss": R3ANLoss.discriminator(realLogits: discriminator(batch.images),
                                                       generatedLogits: discriminator(generated))]
            })
        }
        if configuration.trainsGeneratorAlone {
            // Line 8: G descends on L_G = λ_Rec·L_Rec + λ_Adv·L_Adv (Eq. 7), the terms switched on.
            updates.append(TrainingUpdate(name: "generator", optimizers: ["optimizer-generator": try reconstruction(generator)]) {
                [self] batch, _ in
                let (source, _) = try features(of: batch)
                let generated = generator(source)
                var losses: [String: Tensor] = [:]
                var terms: [Tensor] = []
                if configuration.l2Reconstruction {
                    let term = R3ANLoss.reconstruction(generated: generated, real: batch.images)
                    losses["reconstruction"] = term
                    terms.append(term * configuration.reconstructionWeight)
                }
                if configuration.adversarialReconstruction {
                    let term = R3ANLoss.adversarial(generatedLogits: discriminator(generated))
                    losses["adversarial"] = term
                    terms.append(term * configuration.adversarialWeight)
                }
                losses["loss"] = terms.dropFirst().reduce(terms[0], +)
                return losses
            })
        }
        if configuration.representation {
            // Line 10: E descends on λ_Rep·L_Rep (Eq. 8) over the real faces.
            updates.append(TrainingUpdate(name: "extractor", optimizers: ["optimizer-extractor": try SGD(extractor.namedParameters(), sgd)]) {
                [self] batch, _ in
                let (_, target) = try features(of: batch, targetNorm: targetNorm)
                let representation = R3ANLoss.representation(extracted: extractor(batch.images), target: target)
                return ["loss": representation * configuration.representationWeight, "representation": representation]
            })
        }
        if configuration.regression {
            // Line 12: G and E descend together on λ_Reg·L_Reg (Eq. 9); G's share with the reconstruction
            // optimizer, E's with SGD (with `.sgd` exactly one SGD over both, as SGD updates each parameter alone).
            updates.append(TrainingUpdate(
                name: "joint",
                optimizers: ["optimizer-joint-generator": try reconstruction(generator),
                             "optimizer-joint-extractor": try SGD(extractor.namedParameters(), sgd)]
            ) { [self] batch, _ in
                let (source, target) = try features(of: batch, targetNorm: targetNorm)
                let regression = R3ANLoss.regression(transformed: transformation(source), target: target)
                return ["loss": regression * configuration.regressionWeight, "regression": regression]
            })
        }
        return updates
    }
}
