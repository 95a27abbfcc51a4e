import Foundation
import Torch

/// Trains R³AN by Algorithm 1: per mini-batch, a discriminator step (Eq. 5), a generator step (Eq. 7), an
/// extractor step (Eq. 8) and a joint generator + extractor step (Eq. 9). The extractor descends with SGD and
/// momentum as in the paper; the discriminator and the generator (in its own step and its share of the joint
/// step) with ``CrossModelTrainingSettings/reconstructionOptimizer`` (Adam by default, since the paper's SGD
/// saturates the generator here; with `.sgd` the run is the paper's).
///
/// Steps whose losses the ``R3ANConfiguration`` turns off are skipped (the discriminator step runs only with
/// adversarial reconstruction). Every step has its own optimizer, as every line of Algorithm 1 is its own
/// descent with its own loss, so momentum never mixes the gradients of different objectives; the learning rate
/// follows ``CrossModelTrainingSettings`` in all four. Target features are L2-normalized before the losses, so
/// that the regression targets the direction compared by cosine similarity and the λ weights do not depend on
/// the target model's feature scale.
public final class CrossModelTrainer {
    /// Which paths and losses are trained.
    public let configuration: R3ANConfiguration
    /// Optimization settings.
    public let settings: CrossModelTrainingSettings
    /// Generator and extractor.
    public let transformation: R3ANTransformation
    /// The discriminator of the adversarial reconstruction.
    public let discriminator: R3ANDiscriminator
    /// Iterations done so far.
    public internal(set) var iteration = 0

    let discriminatorOptimizer: any Optimizer
    let generatorOptimizer: any Optimizer
    let extractorOptimizer: SGD
    /// The joint step's optimizers: G's share with the reconstruction optimizer, E's with SGD. With `.sgd`
    /// this is exactly one SGD over both, since SGD updates every parameter independently.
    let jointGeneratorOptimizer: any Optimizer
    let jointExtractorOptimizer: SGD
    private let schedule: MultiStepSchedule
    private let allParameters: [Tensor]

    /// The losses of one iteration; nil for a step that did not run.
    public struct StepLosses: Sendable, Equatable {
        /// −L_D (Eq. 5), the discriminator's loss.
        public var discriminator: Double?
        /// L_Rec (Eq. 4).
        public var reconstruction: Double?
        /// L_Adv (Eq. 6).
        public var adversarial: Double?
        /// L_Rep (Eq. 8).
        public var representation: Double?
        /// L_Reg (Eq. 9).
        public var regression: Double?

        /// A short status line, e.g. `D 1.38 rec 41.2 adv 0.69 rep 0.93 reg 0.97`.
        public var summary: String {
            [("D", discriminator), ("rec", reconstruction), ("adv", adversarial), ("rep", representation),
             ("reg", regression)]
                .compactMap { name, value in value.map { "\(name) \(String(format: "%.4g", $0))" } }
                .joined(separator: " ")
        }
    }

    /// A trainer for fresh networks (seeded by `settings.seed`).
    public init(sourceDimension: Int, targetDimension: Int, configuration: R3ANConfiguration,
                settings: CrossModelTrainingSettings) throws {
        try configuration.validate()
        try settings.validate()
        guard sourceDimension > 0, targetDimension > 0 else {
            throw CrossModelError.invalidConfiguration(
                "feature dimensions must be positive, got \(sourceDimension) → \(targetDimension)")
        }
        self.configuration = configuration
        self.settings = settings
        Runtime.seed(settings.seed)
        transformation = R3ANTransformation(sourceDimension: sourceDimension, targetDimension: targetDimension)
        discriminator = R3ANDiscriminator()
        let hyperparameters = SGD.Hyperparameters(
            learningRate: settings.learningRate, momentum: settings.momentum, weightDecay: settings.weightDecay)
        func reconstructionOptimizer(_ parameters: [(name: String, tensor: Tensor)]) throws -> any Optimizer {
            switch settings.reconstructionOptimizer {
            case .sgd:
                return try SGD(parameters, hyperparameters)
            case .adam:
                return try Adam(parameters, AdamHyperparameters(
                    learningRate: ReconstructionOptimizer.adamLearningRate, beta1: ReconstructionOptimizer.adamBeta1,
                    weightDecay: settings.weightDecay))
            }
        }
        discriminatorOptimizer = try reconstructionOptimizer(discriminator.namedParameters())
        generatorOptimizer = try reconstructionOptimizer(transformation.generator.namedParameters())
        extractorOptimizer = try SGD(transformation.extractor.namedParameters(), hyperparameters)
        jointGeneratorOptimizer = try reconstructionOptimizer(transformation.generator.namedParameters())
        jointExtractorOptimizer = try SGD(transformation.extractor.namedParameters(), hyperparameters)
        schedule = MultiStepSchedule(milestones: settings.milestones, gamma: 0.1)
        allParameters = transformation.parameters() + discriminator.parameters()
    }

    /// The optimizers by the line of Algorithm 1 they implement (the joint step's two halves separately).
    var optimizers: [(name: String, optimizer: any Optimizer)] {
        [("discriminator", discriminatorOptimizer), ("generator", generatorOptimizer),
         ("extractor", extractorOptimizer), ("joint-generator", jointGeneratorOptimizer),
         ("joint-extractor", jointExtractorOptimizer)]
    }

    private func clearGradients() {
        for parameter in allParameters where parameter.grad != nil { parameter.grad = nil }
    }

    /// One iteration of Algorithm 1 on a mini-batch.
    /// - Parameters:
    ///   - source: `[N, sourceDimension]` source features X.
    ///   - target: `[N, targetDimension]` target features Y.
    ///   - faces: `[N, 3, 56, 56]` real faces I in [−1, 1].
    /// - Throws: ``CrossModelError/diverged(_:)`` when a loss is not finite.
    @discardableResult
    public func step(source: Tensor, target: Tensor, faces: Tensor) throws -> StepLosses {
        prepareIteration()
        let target = Functional.normalize(target, dim: 1)
        var losses = StepLosses()
        if configuration.adversarialReconstruction {
            losses.discriminator = discriminatorStep(source: source, faces: faces)
        }
        if configuration.trainsGeneratorAlone {
            (losses.reconstruction, losses.adversarial) = generatorStep(source: source, faces: faces)
        }
        if configuration.representation {
            losses.representation = extractorStep(faces: faces, target: target)
        }
        if configuration.regression {
            losses.regression = jointStep(source: source, target: target)
        }
        clearGradients()
        iteration += 1
        let values = [losses.discriminator, losses.reconstruction, losses.adversarial, losses.representation,
                      losses.regression].compactMap { $0 }
        guard values.allSatisfy(\.isFinite) else {
            throw CrossModelError.diverged("iteration \(iteration): a loss is not finite (\(losses.summary))")
        }
        return losses
    }

    /// Sets this iteration's learning rate in every optimizer and puts the networks in training mode.
    func prepareIteration() {
        for (_, optimizer) in optimizers { schedule.apply(to: optimizer, at: iteration) }
        transformation.train()
        discriminator.train()
    }

    private func descend(_ loss: Tensor, with optimizers: any Optimizer...) {
        clearGradients()
        loss.backward()
        for optimizer in optimizers { optimizer.step() }
    }

    /// Algorithm 1, line 6: D descends on −L_D (Eq. 5) with G's faces detached; returns −L_D.
    func discriminatorStep(source: Tensor, faces: Tensor) -> Double {
        let generated = withoutGrad { transformation.generator(source) }
        let loss = R3ANLoss.discriminator(realLogits: discriminator(faces), generatedLogits: discriminator(generated))
        descend(loss, with: discriminatorOptimizer)
        return loss.item
    }

    /// Algorithm 1, line 8: G descends on L_G = λ_Rec·L_Rec + λ_Adv·L_Adv (Eq. 7), the terms switched on.
    func generatorStep(source: Tensor, faces: Tensor) -> (reconstruction: Double?, adversarial: Double?) {
        let generated = transformation.generator(source)
        var terms: [Tensor] = []
        var values: (reconstruction: Double?, adversarial: Double?) = (nil, nil)
        if configuration.l2Reconstruction {
            let reconstruction = R3ANLoss.reconstruction(generated: generated, real: faces)
            values.reconstruction = reconstruction.item
            terms.append(reconstruction * configuration.reconstructionWeight)
        }
        if configuration.adversarialReconstruction {
            let adversarial = R3ANLoss.adversarial(generatedLogits: discriminator(generated))
            values.adversarial = adversarial.item
            terms.append(adversarial * configuration.adversarialWeight)
        }
        if let first = terms.first { descend(terms.dropFirst().reduce(first, +), with: generatorOptimizer) }
        return values
    }

    /// Algorithm 1, line 10: E descends on λ_Rep·L_Rep (Eq. 8) over the real faces; returns L_Rep.
    func extractorStep(faces: Tensor, target: Tensor) -> Double {
        let loss = R3ANLoss.representation(extracted: transformation.extractor(faces), target: target)
        descend(loss * configuration.representationWeight, with: extractorOptimizer)
        return loss.item
    }

    /// Algorithm 1, line 12: G and E descend together on λ_Reg·L_Reg (Eq. 9); returns L_Reg.
    func jointStep(source: Tensor, target: Tensor) -> Double {
        let loss = R3ANLoss.regression(transformed: transformation(source), target: target)
        descend(loss * configuration.regressionWeight, with: jointGeneratorOptimizer, jointExtractorOptimizer)
        return loss.item
    }

    /// Runs iterations of ``step(source:target:faces:)`` on shuffled mini-batches of `pairs` until
    /// `settings.iterations` are done (continuing from ``iteration`` after a resume).
    /// - Parameters:
    ///   - checkpoints: a folder to write a checkpoint to every `checkpointInterval` iterations and at the end
    ///     (see ``saveCheckpoint(to:sourceModel:targetModel:)``).
    ///   - progress: advanced once per iteration, showing the latest losses.
    /// - Returns: the losses of the last iteration.
    @discardableResult
    public func train(
        on pairs: CrossModelPairs, checkpoints: URL? = nil, checkpointInterval: Int = 1000, workers: Int = 2,
        progress: ProgressBar? = nil
    ) throws -> StepLosses {
        try pairs.checkTrainable(by: "networks", sourceDimension: transformation.sourceDimension,
                                 targetDimension: transformation.targetDimension, batchSize: settings.batchSize)
        let loader = try BatchLoader(
            source: pairs, batchSize: settings.batchSize, shuffle: true, dropLast: true, seed: settings.seed,
            imageSize: pairs.faceSize, channels: 3, workers: workers)
        var last = StepLosses()
        func checkpoint() throws {
            guard let checkpoints else { return }
            try saveCheckpoint(to: checkpoints, sourceModel: pairs.sourceModel, targetModel: pairs.targetModel)
        }
        while iteration < settings.iterations {
            let epoch = iteration / loader.batchesPerEpoch
            let batches = loader.epoch(epoch, startingAt: iteration % loader.batchesPerEpoch)
            while iteration < settings.iterations, let batch = try batches.next() {
                let (source, target) = try pairs.featureTensors(rows: batch.indices)
                last = try step(source: source, target: target, faces: batch.images)
                progress?.status = last.summary
                progress?.advance()
                if iteration % checkpointInterval == 0 && iteration < settings.iterations { try checkpoint() }
            }
            batches.cancel()
        }
        try checkpoint()
        return last
    }

    /// The trained transformation as a ``FeatureTransformer`` between the named models.
    public func transformer(sourceModel: String, targetModel: String) -> FeatureTransformer {
        FeatureTransformer(network: .r3an(transformation, configuration), sourceModel: sourceModel,
                           targetModel: targetModel)
    }
}
