import Foundation
import Torch

/// Training of a template inverter (Eq. 15–18) as a ``Trainer`` objective, for one ``InversionMethod``.
///
/// Per step, in order:
/// - `critic` (GAN methods): D descends on D(G(f)) − D(x) + λ_gp·GP (Eq. 17), G's faces detached;
/// - `flow` (bijective): the ``FeatureFlow`` descends on the per-identity likelihood (Eq. 12–13) of the frozen
///   student's features of the real faces;
/// - `generator`: G descends on Eq. 16 with Eq. 18's weights at the run's progress: λ_r·‖G(f) − x‖₁ +
///   λ_adv·(−D(G(f))) + λ_d·L_distill (Eq. 15 through the frozen student; distilled methods) + λ_b·L_biject (the
///   flow latents' distance to the real face's plus Eq. 11 over the batch's identities; bijective). NbNet
///   descends on Eq. 15 alone (its perceptual loss).
///
/// The generator may work at a smaller side than the faces (``generatorSize``, a power of two dividing the face
/// side): its faces are then compared with the real ones average-pooled to its side (L1, critic) and upsampled
/// bilinearly to the student's side for the identity losses, so a student distilled at 64×64 can guide a cheaper
/// 32×32 generator. The student is the one ``StudentDistillationObjective`` trained; it is frozen and in evaluation mode, and
/// only its gradients with respect to its input reach the generator. Every optimizer is Adam (β₁ 0, β₂ 0.99 for
/// the GAN pair, as WGAN-GP trainings use) at the configured learning rate.
public final class InversionObjective: TrainingObjective {
    public let method: InversionMethod
    public let faces: InversionFaces
    /// The generator's face side.
    public let generatorSize: Int
    public let weights: InversionLossWeights
    public let totalSteps: Int
    /// λ_a of Eq. 15 (paper: 10); the λ_j are 1.
    public var featureWeight = 10.0
    /// λ of Eq. 17 (WGAN-GP's 10).
    public var penaltyWeight = 10.0
    public let student: InversionStudent?
    public let generator: Module
    public let critic: InversionCritic?
    public let flow: FeatureFlow?
    public let metric: BijectiveMetric
    public let prior: IdentityGaussianPrior

    public init(method: InversionMethod, faces: InversionFaces, student: InversionStudent?, totalSteps: Int,
                generatorSize: Int? = nil, weights: InversionLossWeights = InversionLossWeights(), seed: UInt64) throws {
        let size = generatorSize ?? faces.faceSize
        guard size >= 8, size & (size - 1) == 0, size <= faces.faceSize, faces.faceSize % size == 0 else {
            throw DataError.invalidArgument("the generator's side must be a power of two from 8 to the faces' "
                + "\(faces.faceSize) that divides it, got \(size)")
        }
        if method.usesStudent {
            guard let student else {
                throw DataError.invalidArgument("the \(method.rawValue) inverter trains through a distilled student; "
                    + "give one (visage audit distill)")
            }
            guard student.templateDimension == faces.templateDimension else {
                throw DataError.invalidArgument("the student produces \(student.templateDimension)-D templates but "
                    + "the engine's are \(faces.templateDimension)-D")
            }
            student.eval()
            student.freeze()
        }
        self.method = method
        self.faces = faces
        self.student = method.usesStudent ? student : nil
        self.totalSteps = totalSteps
        self.generatorSize = size
        self.weights = weights
        Runtime.seed(seed)
        generator = TemplateInverter.makeGenerator(method, templateDimension: faces.templateDimension, faceSize: size)
        critic = method.isAdversarial ? InversionCritic(size: size) : nil
        flow = method == .ganBijective ? FeatureFlow(dimension: faces.templateDimension) : nil
        // Eq. 11's margin in squared latent distance; the prior puts identities c and c + 1 a distance
        // D·spacing² apart, so the margin asks different identities to be at least as far as neighbours.
        prior = IdentityGaussianPrior(spacing: 0.05)
        metric = BijectiveMetric(margin: Double(faces.templateDimension) * 0.05 * 0.05)
    }

    public var modules: [String: Module] {
        var modules: [String: Module] = ["generator": generator]
        if let critic { modules["critic"] = critic }
        if let flow { modules["flow"] = flow }
        return modules
    }

    public var trajectorySettings: [String: String] {
        ["method": method.rawValue, "face_size": "\(faces.faceSize)", "generator_size": "\(generatorSize)", "template_dimension": "\(faces.templateDimension)",
         "weights": "alpha \(weights.alpha), beta \(weights.beta), R_M \(weights.maxScale)",
         "total_steps": "\(totalSteps)"]
    }

    /// The generator's faces for `templates`.
    public func generate(_ templates: Tensor) -> Tensor { generator(templates) }

    /// Real faces at the generator's side.
    func atGeneratorSize(_ faces: Tensor) -> Tensor {
        let factor = self.faces.faceSize / generatorSize
        return factor == 1 ? faces : Functional.avgPool2d(faces, kernelSize: [factor, factor])
    }

    /// Generated faces at the student's side.
    func atStudentSize(_ generated: Tensor) -> Tensor {
        generatorSize == faces.faceSize ? generated
            : Functional.interpolate(generated, size: [faces.faceSize, faces.faceSize], mode: .bilinear)
    }

    public func updates(config: TrainingConfig) throws -> [TrainingUpdate] {
        func adam(_ module: Module, gan: Bool) throws -> any Optimizer {
            try Adam(module.parameters(), learningRate: config.learningRate, betas: gan ? (0, 0.99) : (0.9, 0.999))
        }
        var updates: [TrainingUpdate] = []
        if let critic {
            updates.append(TrainingUpdate(name: "critic", optimizers: ["optimizer-critic": try adam(critic, gan: true)]) {
                [self] batch, _ in
                let templates = try faces.templates(rows: batch.indices)
                let generated = withoutGrad { generate(templates) }
                let real = atGeneratorSize(batch.images)
                let wasserstein = critic(generated).mean() - critic(real).mean()
                let penalty = GradientPenalty.penalty(critic: { critic($0) }, real: real, generated: generated)
                return ["loss": wasserstein + penalty * penaltyWeight, "wasserstein": -wasserstein, "penalty": penalty]
            })
        }
        if let flow, let student {
            updates.append(TrainingUpdate(name: "flow", optimizers: ["optimizer-flow": try adam(flow, gan: false)]) {
                [self] batch, _ in
                let features = withoutGrad { Functional.normalize(student(batch.images), dim: 1) }
                let (latent, logDeterminant) = flow.transform(features)
                let labels = try Tensor(batch.indices.map { Int64(faces.labels[$0]) }, shape: [batch.indices.count])
                return ["loss": prior.negativeLogLikelihood(latent: latent, logDeterminant: logDeterminant,
                                                            labels: labels) / Double(faces.templateDimension)]
            })
        }
        let generatorOptimizer = try adam(generator, gan: method.isAdversarial)
        updates.append(TrainingUpdate(name: "generator", optimizers: ["optimizer-generator": generatorOptimizer]) {
            [self] batch, step in
            try generatorLosses(batch: batch, step: step)
        })
        return updates
    }

    /// Eq. 16 (or NbNet's perceptual loss) on `batch` at `step`, with its unweighted terms for the log.
    func generatorLosses(batch: Batch, step: Int) throws -> [String: Tensor] {
        let templates = try faces.templates(rows: batch.indices)
        let generated = generate(templates)
        let lambda = weights.values(scale: weights.scale(step: step, of: totalSteps))
        var losses: [String: Tensor] = [:]
        var total: Tensor?
        func add(_ name: String, _ term: Tensor, _ weight: Double) {
            losses[name] = term
            total = total.map { $0 + term * weight } ?? term * weight
        }
        var studentOfGenerated: (template: Tensor, intermediates: [Tensor])?
        var studentOfReal: (template: Tensor, intermediates: [Tensor])?
        if let student {
            let real = withoutGrad { student.features(batch.images) }
            let fake = student.features(atStudentSize(generated))
            studentOfReal = real
            studentOfGenerated = fake
            var distill = IdentityDistillationLoss.cosine(fake.template, real.template) * featureWeight
            for (a, b) in zip(fake.intermediates, real.intermediates) {
                distill = distill + IdentityDistillationLoss.intermediate(a, b)
            }
            // NbNet's perceptual loss is this term alone; the GAN weighs it by Eq. 18.
            add("distillation", distill, method == .nbnet ? 1 : lambda.distillation)
        }
        if let critic {
            add("reconstruction", (generated - atGeneratorSize(batch.images)).abs().mean(), lambda.reconstruction)
            add("adversarial", -critic(generated).mean(), lambda.adversarial)
        }
        if let flow, let fake = studentOfGenerated, let real = studentOfReal {
            let fakeLatent = flow(Functional.normalize(fake.template, dim: 1))
            let realLatent = withoutGrad { flow(Functional.normalize(real.template, dim: 1)) }
            let labels = try Tensor(batch.indices.map { Int64(faces.labels[$0]) }, shape: [batch.indices.count])
            let bijective = BijectiveMetric.distance(fakeLatent, realLatent).mean() + metric.identityLoss(fakeLatent, labels: labels)
            add("bijective", bijective, lambda.bijective)
        }
        losses["loss"] = total!
        return losses
    }
}
