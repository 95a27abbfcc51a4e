import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Cross-model trainer (Algorithm 1)")
struct CrossModelTrainerTests {
    static let settings = CrossModelTrainingSettings(iterations: 10, batchSize: 2, learningRate: 0.05)

    static func trainer(_ configuration: R3ANConfiguration = .r3an) throws -> CrossModelTrainer {
        try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: configuration, settings: settings)
    }

    static func batch() -> (source: Tensor, target: Tensor, faces: Tensor) {
        Runtime.seed(3)
        return (Tensor.randn([2, 16]), Functional.normalize(Tensor.randn([2, 8]), dim: 1),
                Tensor.rand([2, 3, 56, 56]) * 2 - 1)
    }

    /// Parameters changed in (generator, extractor, discriminator) by `body`.
    static func changes(_ trainer: CrossModelTrainer, _ body: () throws -> Void) rethrows -> (Int, Int, Int) {
        let g = CrossModelFixtures.snapshot(trainer.transformation.generator)
        let e = CrossModelFixtures.snapshot(trainer.transformation.extractor)
        let d = CrossModelFixtures.snapshot(trainer.discriminator)
        try body()
        return (CrossModelFixtures.changedCount(trainer.transformation.generator, since: g),
                CrossModelFixtures.changedCount(trainer.transformation.extractor, since: e),
                CrossModelFixtures.changedCount(trainer.discriminator, since: d))
    }

    @Test("each step of Algorithm 1 updates only its own network")
    func stepsTouchTheirOwnParameters() throws {
        let trainer = try Self.trainer()
        let (source, target, faces) = Self.batch()
        trainer.prepareIteration()
        let counts = (g: trainer.transformation.generator.parameters().count,
                      e: trainer.transformation.extractor.parameters().count,
                      d: trainer.discriminator.parameters().count)
        var (g, e, d) = Self.changes(trainer) { _ = trainer.discriminatorStep(source: source, faces: faces) }
        #expect(g == 0 && e == 0 && d == counts.d)
        (g, e, d) = Self.changes(trainer) { _ = trainer.generatorStep(source: source, faces: faces) }
        #expect(g == counts.g && e == 0 && d == 0)
        (g, e, d) = Self.changes(trainer) { _ = trainer.extractorStep(faces: faces, target: target) }
        #expect(g == 0 && e == counts.e && d == 0)
        (g, e, d) = Self.changes(trainer) { _ = trainer.jointStep(source: source, target: target) }
        #expect(g == counts.g && e == counts.e && d == 0)
    }

    @Test("switched-off paths leave their networks alone", arguments: ["Arch1", "Arch3", "R3AN"])
    func configurationsSkipSteps(name: String) throws {
        let configuration = try #require(R3ANConfiguration.named(name))
        let trainer = try Self.trainer(configuration)
        let (source, target, faces) = Self.batch()
        var losses = CrossModelTrainer.StepLosses()
        let (g, e, d) = try Self.changes(trainer) { losses = try trainer.step(source: source, target: target, faces: faces) }
        #expect((d > 0) == configuration.adversarialReconstruction)
        #expect(g > 0 && e > 0)
        #expect((losses.discriminator != nil) == configuration.adversarialReconstruction)
        #expect((losses.reconstruction != nil) == configuration.l2Reconstruction)
        #expect((losses.representation != nil) == configuration.representation)
        #expect((losses.regression != nil) == configuration.regression)
        #expect(trainer.iteration == 1)
    }

    @Test("the learning rate drops tenfold at 30, 50 and 70 % of the run")
    func schedule() {
        let settings = CrossModelTrainingSettings(iterations: 200_000)
        #expect(settings.milestones == [60_000, 100_000, 140_000])
    }

    @Test("training on pairs from disk checkpoints, and a resumed trainer continues from the same state")
    func trainAndResume() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let settings = CrossModelTrainingSettings(iterations: 3, batchSize: 2)
        let trainer = try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: .r3an,
                                            settings: settings)
        let checkpoints = folder.appendingPathComponent("checkpoints")
        let last = try trainer.train(on: pairs, checkpoints: checkpoints, checkpointInterval: 2, workers: 1)
        #expect(trainer.iteration == 3 && last.regression != nil)
        let resumed = try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: .r3an,
                                            settings: CrossModelTrainingSettings(iterations: 3, batchSize: 2, seed: 9))
        try resumed.resume(from: checkpoints)
        #expect(resumed.iteration == 3)
        #expect(CrossModelFixtures.snapshot(resumed.transformation) == CrossModelFixtures.snapshot(trainer.transformation))
        #expect(CrossModelFixtures.snapshot(resumed.discriminator) == CrossModelFixtures.snapshot(trainer.discriminator))
        let saved = try FeatureTransformer.load(from: CrossModelTrainer.checkpointFiles(in: checkpoints).transformer)
        #expect(saved.sourceModel == "source" && saved.targetModel == "target")
    }

    @Test("the discriminator and generator use the chosen optimizer, the extractor SGD",
          arguments: ReconstructionOptimizer.allCases)
    func reconstructionOptimizer(_ kind: ReconstructionOptimizer) throws {
        var settings = Self.settings
        settings.reconstructionOptimizer = kind
        let trainer = try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: .r3an,
                                            settings: settings)
        let names = Dictionary(uniqueKeysWithValues: trainer.optimizers.map { ($0.name, $0.optimizer.name) })
        let expected = kind == .adam ? "Adam" : "SGD"
        #expect(names == ["discriminator": expected, "generator": expected, "extractor": "SGD",
                          "joint-generator": expected, "joint-extractor": "SGD"])
        let rates = Dictionary(uniqueKeysWithValues: trainer.optimizers.map { ($0.name, $0.optimizer.baseLearningRates) })
        let generatorRate = kind == .adam ? ReconstructionOptimizer.adamLearningRate : 0.05
        #expect(rates["generator"] == [generatorRate] && rates["joint-generator"] == [generatorRate])
        #expect(rates["extractor"] == [0.05] && rates["joint-extractor"] == [0.05])
    }

    @Test("resuming with another reconstruction optimizer is refused, naming the optimizer file")
    func resumeWithOtherOptimizer() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let checkpoints = folder.appendingPathComponent("checkpoints")
        let adam = try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: .r3an,
                                         settings: CrossModelTrainingSettings(iterations: 1, batchSize: 2))
        try adam.train(on: pairs, checkpoints: checkpoints, workers: 1)
        let sgd = try CrossModelTrainer(
            sourceDimension: 16, targetDimension: 8, configuration: .r3an,
            settings: CrossModelTrainingSettings(iterations: 2, batchSize: 2, reconstructionOptimizer: .sgd))
        let error = #expect(throws: CrossModelError.self) { try sgd.resume(from: checkpoints) }
        #expect(error?.description.contains("optimizers.safetensors") == true)
    }

    @Test("the FC baseline trains on features alone")
    func featureMLP() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder, images: "missing-images")
        let trainer = try FeatureMLPTrainer(sourceDimension: 16, targetDimension: 8, hiddenWidth: 32,
                                            settings: CrossModelTrainingSettings(iterations: 30, batchSize: 4))
        let first = try trainer.step(source: pairs.featureTensors(rows: [0, 1, 2, 3]).source,
                                     target: pairs.featureTensors(rows: [0, 1, 2, 3]).target)
        let last = try trainer.train(on: pairs)
        #expect(trainer.iteration == 30 && last < first)
    }

    @Test("training refuses source and target features of the same model name, whatever the dimensions")
    func sameModelRefused() throws {
        let paths = ["a/1", "a/2"]
        let pairs = try CrossModelPairs(
            source: FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 16, seed: 1), paths: paths),
            target: FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 8, seed: 2), paths: paths),
            imageRoot: URL(fileURLWithPath: "/missing"), sourceModel: "features", targetModel: "features")
        let settings = CrossModelTrainingSettings(iterations: 1, batchSize: 2)
        let mlp = try FeatureMLPTrainer(sourceDimension: 16, targetDimension: 8, hiddenWidth: 4, settings: settings)
        let error = #expect(throws: CrossModelError.self) { try mlp.train(on: pairs) }
        #expect(error?.description.hasPrefix("the source and target features both belong to model 'features'") == true)
        let r3an = try CrossModelTrainer(sourceDimension: 16, targetDimension: 8, configuration: .r3an,
                                         settings: settings)
        #expect(throws: CrossModelError.self) { try r3an.train(on: pairs, workers: 1) }
        #expect(mlp.iteration == 0 && r3an.iteration == 0)
    }
}
