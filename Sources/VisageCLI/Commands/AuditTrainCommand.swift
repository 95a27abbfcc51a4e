import ArgumentParser
import Foundation
import Torch
import Visage

extension InversionMethod: ExpressibleByArgument {}

/// `visage audit train`: train a template inverter of one method.
struct AuditTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a template inverter: NbNet-style, or the AdaIN GAN without/with distillation and the bijective metric.",
        discussion: """
            Trains on the faces of --people (aligned crops under --images at --size) and the engine's templates of \
            them (--templates, stamped as the engine's). nbnet: direct deconvolution, perceptual loss through the \
            student. gan: AdaIN generator + WGAN-GP critic, L1 reconstruction and adversarial losses only. \
            gan-distilled: + the identity losses through the student (Eq. 15). gan-bijective: + the bijective \
            metric through a flow on the student's features (Eq. 10–13). Loss weights follow Eq. 18 over the run. \
            The student is the one `visage audit distill` wrote (--student); it must be the same engine's and size. \
            Writes OUT/inverter.safetensors, OUT/log.jsonl and OUT/checkpoints (--resume continues a killed run).
            """)

    @OptionGroup var data: AuditDataOptions

    @Option(help: "nbnet, gan, gan-distilled or gan-bijective.")
    var method: InversionMethod

    @Option(help: "The distilled student (student.safetensors from `visage audit distill`); all methods but gan.")
    var student: String?

    @Option(help: "The generator's face side (a power of two dividing --size; default --size). A smaller one trains faster; the student still sees --size.")
    var generatorSize: Int?

    @Option(help: "α of Eq. 18 (the bijective metric's weight factor; the paper's 0.001).")
    var alpha = 0.001

    @Option(help: "β of Eq. 18 (the adversarial weight factor; the paper's 1).")
    var beta = 1.0

    @OptionGroup var training: AuditTrainingOptions

    func validate() throws {
        guard alpha >= 0, beta >= 0 else { throw ValidationError("--alpha and --beta must be ≥ 0") }
        if method.usesStudent && student == nil {
            throw ValidationError("--method \(method.rawValue) trains through a distilled student: give --student")
        }
    }

    func run() throws {
        let entry = try data.engineEntry()
        var distilled: InversionStudent?
        if method.usesStudent, let student {
            let loaded = try InversionStudent.load(from: URL(fileURLWithPath: student))
            guard loaded.engine == entry.stamp, loaded.faceSize == data.size else {
                throw ValidationError("the student \(student) was distilled from \(loaded.engine) at "
                    + "\(loaded.faceSize)×\(loaded.faceSize); this run inverts \(entry.stamp) at \(data.size)×\(data.size)")
            }
            distilled = loaded.student
        }
        let faces = try data.trainingFaces()
        let objective = try InversionObjective(
            method: method, faces: faces, student: distilled, totalSteps: training.steps,
            generatorSize: generatorSize, weights: InversionLossWeights(alpha: alpha, beta: beta), seed: training.seed)
        print("training a \(method.rawValue) inverter of \(entry.stamp) (\(objective.generator.parameterCount)-parameter "
            + "generator at \(objective.generatorSize)×\(objective.generatorSize)) on \(faces.count) faces of "
            + "\(faces.identities.count) people at \(data.size)×\(data.size), "
            + "\(training.steps) steps of \(training.batchSize)")
        let (summary, seconds) = try training.train(objective, faces: faces, data: data)
        let inverterURL = training.outURL.appendingPathComponent("inverter.safetensors")
        try TemplateInverter(method: method, engine: entry.stamp, templateDimension: faces.templateDimension,
                             faceSize: objective.generatorSize, generator: objective.generator).save(to: inverterURL)
        let losses = summary.losses.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4g", $0.value))" }
        print(String(format: "%@ after %d steps (%.0f s this session): ", method.rawValue, summary.steps, seconds)
            + losses.joined(separator: ", ") + "; written to \(inverterURL.path)")
    }
}
