import ArgumentParser
import Foundation
import Torch
import Visage

/// `visage audit distill`: blackbox distillation (Eq. 14) of a differentiable student from an engine's templates.
struct AuditDistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distill a student that reproduces an engine's templates, from the templates alone (Eq. 14).",
        discussion: """
            Trains InversionStudent on the faces of --people (aligned crops under --images, resized to --size) to \
            give the engine's templates (--templates, stamped as the engine's): Adam on (1 − cos)², faces \
            mirrored at random; the engine is never run and its gradients are never used. Writes \
            OUT/student.safetensors, a log in OUT/log.jsonl and checkpoints in OUT/checkpoints (--resume continues \
            a killed run). With --evaluate-pairs it then reports the student's agreement with the engine on the \
            images of those pairs (mean cosine) and both verification accuracies on them at each one's best threshold.
            """)

    @OptionGroup var data: AuditDataOptions

    @Option(help: "Pairs (LFW format, e.g. pairsDevTest.txt) of held-out people to measure agreement on.")
    var evaluatePairs: String?

    @OptionGroup var training: AuditTrainingOptions

    func run() throws {
        let entry = try data.engineEntry()
        let faces = try data.trainingFaces()
        let pairs = try evaluatePairs.map { try PairList(contentsOf: URL(fileURLWithPath: $0)) }
        let objective = StudentDistillationObjective(faces: faces, seed: training.seed)
        print("distilling \(entry.stamp) into a \(objective.student.parameterCount)-parameter student on "
            + "\(faces.count) faces of \(faces.identities.count) people at \(data.size)×\(data.size), "
            + "\(training.steps) steps of \(training.batchSize)")
        let (summary, seconds) = try training.train(objective, faces: faces, data: data)
        let studentURL = training.outURL.appendingPathComponent("student.safetensors")
        try objective.student.save(to: studentURL, engine: entry.stamp, faceSize: data.size)
        print(String(format: "student after %d steps (%.0f s, %.2f steps/s): loss %.4f; written to %@", summary.steps,
                     seconds, Double(summary.steps) / max(seconds, 1e-9), summary.losses["loss"] ?? .nan, studentURL.path))
        if let pairs { try evaluate(objective.student, engine: entry, on: pairs) }
    }

    /// Agreement of `student` with the engine on the images of `pairs`.
    private func evaluate(_ student: InversionStudent, engine: EngineCatalogue.Entry, on pairs: PairList) throws {
        let file = try EngineTemplates.load(URL(fileURLWithPath: data.templates), engine: engine.stamp,
                                            dimension: engine.embeddingSize!)
        let held = try InversionFaces(file: file, imageRoot: URL(fileURLWithPath: data.images, isDirectory: true),
                                      faceSize: data.size, people: pairs.identities)
        let studentFeatures = try Embedder(model: student, inputSize: data.size, batchSize: 64, workers: training.workers)
            .embed(held, showProgress: true)
        var cosine = 0.0
        for row in 0..<held.count {
            cosine += SimilarityMetric.cosine.score(studentFeatures.row(row), held.templates.row(row))
        }
        let engineFile = try FeatureFile(features: held.templates, paths: held.paths)
        let studentFile = try FeatureFile(features: studentFeatures, paths: held.paths)
        let engineScores = try ScoredPairs(pairs: pairs, features: engineFile)
        let studentScores = try ScoredPairs(pairs: pairs, features: studentFile)
        let engineBest = VerificationThreshold.best(scores: engineScores.scores, isMatch: engineScores.isMatch)
        let studentBest = VerificationThreshold.best(scores: studentScores.scores, isMatch: studentScores.isMatch)
        print(String(format: "held-out agreement on %d images of %@: mean cosine(student, engine) %.4f; verification "
            + "on its %d pairs at the best threshold: student %.2f %% (%.4f), engine %.2f %% (%.4f)",
                     held.count, pairs.url.lastPathComponent, cosine / Double(held.count), pairs.pairs.count,
                     studentBest.accuracy * 100, studentBest.threshold, engineBest.accuracy * 100, engineBest.threshold))
    }
}
