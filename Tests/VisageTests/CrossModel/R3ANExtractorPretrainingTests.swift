import Foundation
import Testing
import Torch
@testable import Visage

@Suite("R³AN's extractor pretraining (scaled targets + identities, before Algorithm 1)", .serialized)
struct R3ANExtractorPretrainingTests {
    static let settings = R3ANExtractorPretraining.Settings(iterations: 6, targetNorm: 15, classificationWeight: 1)

    static func objective(_ pairs: CrossModelPairs, settings: R3ANExtractorPretraining.Settings? = Self.settings,
                          seed: UInt64 = 3) throws -> R3ANObjective {
        try R3ANObjective(pairs: pairs, configuration: .r3an, extractorPretraining: settings, seed: seed)
    }

    static func recipe(_ output: URL) -> TrainingConfig {
        TransformerTrainingTests.config(output, steps: 4)
    }

    /// Two random faces, rows 0 and 1 of the pairs.
    static func batch() -> Batch {
        Runtime.seed(9)
        return Batch(images: Tensor.rand([2, 3, 56, 56]) * 2 - 1, labels: Tensor([Int64(0), 1]), indices: [0, 1])
    }

    @Test("the stage's loss is the weighted ‖E(I) − s·ŷ‖² plus the weighted identity cross-entropy, by hand")
    func lossByHand() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let settings = R3ANExtractorPretraining.Settings(iterations: 2, targetNorm: 4, regressionWeight: 0.25,
                                                         classificationWeight: 0.5)
        let stage = try #require(try Self.objective(pairs, settings: settings).pretrainingStage(seed: 5))
        let batch = Self.batch()
        let losses = try stage.losses(on: batch, step: 0)
        let features = withoutGrad { stage.extractor(batch.images) }.array(of: Float.self)
        var expected = 0.0
        for row in 0..<2 {
            let target = Array(pairs.target.row(row))
            let length = target.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            expected += (0..<8).reduce(0.0) { sum, column in
                let difference = Double(features[row * 8 + column]) - 4 * Double(target[column]) / length
                return sum + difference * difference
            } / 2
        }
        let regression = Double(try #require(losses["regression"]).item(Float.self))
        let classification = Double(try #require(losses["classification"]).item(Float.self))
        #expect(abs(regression - expected) < 1e-3 * expected)
        #expect(abs(Double(try #require(losses["loss"]).item(Float.self)) - (0.25 * regression + 0.5 * classification)) < 1e-3)
    }

    @Test("with pretraining, L_Rep and L_Reg regress the targets at the stage's norm; without it at norm 1")
    func algorithmOneTargetsScaled() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        for settings in [Self.settings, nil] {
            let objective = try Self.objective(pairs, settings: settings)
            let updates = try objective.updates(config: Self.recipe(folder))
            let batch = Self.batch()
            let (source, target) = try pairs.featureTensors(rows: batch.indices)
            let scaled = Functional.normalize(target, dim: 1) * (settings?.targetNorm ?? 1)
            let representation = try #require(updates.first { $0.name == "extractor" }).losses(batch, 0)
            let joint = try #require(updates.first { $0.name == "joint" }).losses(batch, 0)
            let (expectedRep, expectedReg) = withoutGrad {
                (R3ANLoss.meanDistance(objective.transformation.extractor(batch.images), scaled).item(Float.self),
                 R3ANLoss.meanDistance(objective.transformation(source), scaled).item(Float.self))
            }
            #expect(abs(try #require(representation["representation"]).item(Float.self) - expectedRep) < 1e-4)
            #expect(abs(try #require(joint["regression"]).item(Float.self) - expectedReg) < 1e-4)
        }
    }

    @Test("the stage trains the R³AN objective's own extractor; rerun when complete, it loads instead of training")
    func trainsInPlaceAndLoadsWhenDone() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let output = folder.appendingPathComponent("pretraining")
        let objective = try Self.objective(pairs)
        let before = CrossModelFixtures.snapshot(objective.transformation.extractor)
        var lines: [String] = []
        try #require(try objective.pretrainingStage(seed: 3)).train(
            recipe: Self.recipe(folder), batchSize: 2, workers: 1, output: output, showsProgress: false) { lines.append($0) }
        #expect(CrossModelFixtures.changedCount(objective.transformation.extractor, since: before) > 0)
        let trained = CrossModelFixtures.snapshot(objective.transformation.extractor)

        let again = try Self.objective(pairs, seed: 44)
        try #require(try again.pretrainingStage(seed: 44)).train(
            recipe: Self.recipe(folder), batchSize: 2, workers: 1, output: output, showsProgress: false) { lines.append($0) }
        #expect(CrossModelFixtures.snapshot(again.transformation.extractor) == trained)
        #expect(lines.last?.contains("done earlier (6 steps)") == true, "\(lines)")
    }

    @Test("stopped after the stage, a resumed run loads it and ends where an uninterrupted one does; a fresh run refuses the folder")
    func stageThenAlgorithmOne() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        /// Builds the objective and its trainer as the command does, runs the stage; Algorithm 1 too unless told.
        func run(_ name: String, resume: Bool, algorithmOne: Bool = true) throws -> R3ANObjective {
            let objective = try Self.objective(pairs)
            let trainer = try TransformerTrainingTests.trainer(
                objective, TransformerTrainingTests.config(folder.appendingPathComponent(name), steps: 4))
            let resumes = try #require(try objective.pretrainingStage(seed: 3)).train(
                before: trainer, resume: resume, batchSize: 2, workers: 1, showsProgress: false) { _ in }
            if algorithmOne { _ = try trainer.run(resume: resumes) }
            return objective
        }
        let straight = TransformerTrainingTests.state(try run("straight", resume: false))
        _ = try run("stopped", resume: false, algorithmOne: false)
        let refused = #expect(throws: TrainingError.self) { _ = try run("stopped", resume: false) }
        #expect(refused.map { "\($0)" }?.contains("stopped/extractor-pretraining") == true)
        let resumed = TransformerTrainingTests.state(try run("stopped", resume: true))
        #expect(!straight.isEmpty && resumed == straight)
        // With Algorithm 1's checkpoint there, the stage is skipped and the run resumes.
        let objective = try Self.objective(pairs)
        let trainer = try TransformerTrainingTests.trainer(
            objective, TransformerTrainingTests.config(folder.appendingPathComponent("stopped"), steps: 4))
        var lines: [String] = []
        #expect(try #require(try objective.pretrainingStage(seed: 3)).train(
            before: trainer, resume: true, batchSize: 2, workers: 1, showsProgress: false) { lines.append($0) })
        #expect(lines.isEmpty)
    }

    @Test("the regression to the scaled targets falls on the training faces")
    func regressionFalls() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let stage = try #require(try Self.objective(
            pairs, settings: .init(iterations: 30, targetNorm: 15, classificationWeight: 0)).pretrainingStage(seed: 3))
        let all = try #require(try BatchLoader(source: pairs, batchSize: 6, shuffle: false, dropLast: true, seed: 0,
                                               imageSize: 56, channels: 3, workers: 1)
            .batches(epoch: 0, startingAt: 0).next())
        func loss() throws -> Float {
            try withoutGrad { try stage.losses(on: all, step: 0)["regression"]!.item(Float.self) }
        }
        let first = try loss()
        try stage.train(recipe: Self.recipe(folder), batchSize: 2, workers: 1,
                        output: folder.appendingPathComponent("pretraining"), showsProgress: false) { _ in }
        let last = try loss()
        #expect(last < 0.5 * first, "regression \(first) → \(last)")
    }

    @Test("bad settings are refused before any training, and a resumed R³AN run refuses changed pretraining")
    func refusals() throws {
        for bad in [R3ANExtractorPretraining.Settings(iterations: 0),
                    .init(iterations: 5, targetNorm: 0), .init(iterations: 5, targetNorm: .infinity),
                    .init(iterations: 5, classificationWeight: -1),
                    .init(iterations: 5, regressionWeight: .nan), .init(iterations: 5, regressionWeight: 0, classificationWeight: 0)] {
            #expect(throws: CrossModelError.self) { try bad.validate() }
        }
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let generatorOnly = R3ANConfiguration(adversarialReconstruction: true, l2Reconstruction: true,
                                              representation: false, regression: false)
        #expect(throws: CrossModelError.self) {
            try R3ANObjective(pairs: pairs, configuration: generatorOnly, extractorPretraining: Self.settings, seed: 1)
        }
        let output = folder.appendingPathComponent("run")
        _ = try TransformerTrainingTests.trainer(try Self.objective(pairs), TransformerTrainingTests.config(output, steps: 2))
            .run(resume: false)
        let changed = #expect(throws: TrainingError.self) {
            try TransformerTrainingTests.trainer(
                try Self.objective(pairs, settings: .init(iterations: 7)), TransformerTrainingTests.config(output, steps: 2)
            ).run(resume: true)
        }
        #expect(changed.map { "\($0)" }?.contains("extractor_pretraining 6 iterations") == true)
    }
}
