import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Transformer training on the project's trainer (R³AN, FC)", .serialized)
struct TransformerTrainingTests {
    /// Thrown by a validation callback to stand in for a process killed between two checkpoints.
    struct Killed: Error {}

    /// Pairs of 6 images (3 batches of 2 per epoch), 16-D source, 8-D target features.
    static func pairs(in folder: URL, images: String = "images") throws -> CrossModelPairs {
        try CrossModelFixtures.pairs(in: folder, images: images)
    }

    static func objective(_ arch: String, pairs: CrossModelPairs, seed: UInt64 = 3,
                          optimizer: ReconstructionOptimizer = .adam) throws -> any TransformerObjective {
        arch == "FC" ? try FeatureMLPObjective(pairs: pairs, hiddenWidth: 12, seed: seed)
            : try R3ANObjective(pairs: pairs, configuration: try #require(R3ANConfiguration.named(arch)),
                                reconstructionOptimizer: optimizer, seed: seed)
    }

    /// 5 steps of 2, checkpoints after steps 2 and 4 (and 5).
    static func config(_ output: URL, steps: Int = 5, learningRate: Double = 0.05, seed: UInt64 = 3) -> TrainingConfig {
        var config = TrainingConfig.crossModel(iterations: steps, batchSize: 2, learningRate: learningRate, seed: seed,
                                               output: output, checkpointInterval: 2)
        config.logInterval = 1
        return config
    }

    static func trainer(_ objective: any TransformerObjective, _ config: TrainingConfig,
                        validation: ((Int) throws -> [String: Double])? = nil) throws -> Trainer {
        let trainer = try Trainer(objective: objective, loader: try objective.batches(batchSize: 2, seed: config.seed,
                                                                                        workers: 1),
                                  config: config, validation: validation)
        trainer.showsProgress = false
        return trainer
    }

    /// Every parameter and buffer of the objective's modules.
    static func state(_ objective: any TrainingObjective) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (name, module) in objective.modules {
            for (key, tensor) in module.stateDict() where tensor.dtype == .float32 {
                result[name + "." + key] = withoutGrad { tensor.detached().contiguous().array(of: Float.self) }
            }
        }
        return result
    }

    @Test("killed between checkpoints and resumed, a run's weights equal an uninterrupted run's bit for bit",
          arguments: ["FC", "R3AN", "Arch3"])
    func killAndResume(arch: String) throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairs(in: folder, images: arch == "FC" ? "no-images-needed" : "images")
        let straight = folder.appendingPathComponent("straight"), interrupted = folder.appendingPathComponent("killed")

        let reference = try Self.objective(arch, pairs: pairs)
        _ = try Self.trainer(reference, Self.config(straight)).run(resume: false)

        let killed = try Self.objective(arch, pairs: pairs)
        var killedConfig = Self.config(interrupted)
        killedConfig.validationInterval = 1
        #expect(throws: Killed.self) {
            try Self.trainer(killed, killedConfig, validation: { step in
                if step == 3 { throw Killed() }
                return [:]
            }).run(resume: false)
        }
        // A new process: other initial weights and generator state until the checkpoint of step 2 is loaded.
        let resumed = try Self.objective(arch, pairs: pairs, seed: 99)
        _ = Tensor.randn([17])
        let summary = try Self.trainer(resumed, Self.config(interrupted)).run(resume: true)
        #expect(summary.startStep == 2 && summary.steps == 5)
        let expected = Self.state(reference), actual = Self.state(resumed)
        #expect(!expected.isEmpty && actual.keys.sorted() == expected.keys.sorted())
        let differing = expected.keys.filter { actual[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "differ after resuming: \(differing)")
    }

    @Test("resuming with a changed setting is refused, naming it")
    func changedSettingsRefused() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairs(in: folder)
        let output = folder.appendingPathComponent("run")
        _ = try Self.trainer(try Self.objective("Arch3", pairs: pairs), Self.config(output, steps: 2)).run(resume: false)

        func refusal(_ objective: any TransformerObjective, _ config: TrainingConfig) -> String {
            let error = #expect(throws: TrainingError.self) {
                try Self.trainer(objective, config).run(resume: true)
            }
            return error.map { "\($0)" } ?? ""
        }
        #expect(refusal(try Self.objective("Arch3", pairs: pairs), Self.config(output, steps: 2, learningRate: 0.01))
            .contains("learning_rate 0.05 (this run: 0.01)"))
        #expect(refusal(try Self.objective("Arch3", pairs: pairs), Self.config(output, steps: 2, seed: 4))
            .contains("seed 3 (this run: 4)"))
        #expect(refusal(try Self.objective("Arch4", pairs: pairs), Self.config(output, steps: 2))
            .contains("architecture Arch3 (this run: Arch4)"))
        #expect(refusal(try Self.objective("Arch3", pairs: pairs, optimizer: .sgd), Self.config(output, steps: 2))
            .contains("reconstruction_optimizer adam (this run: sgd)"))
        let fc = refusal(try Self.objective("FC", pairs: pairs), Self.config(output, steps: 2))
        #expect(fc.contains("architecture Arch3 (this run: FC)") && fc.contains("modules"))
    }

    @Test("--resume without a checkpoint fails instead of starting over; a fresh run refuses a used folder")
    func resumeNeedsACheckpoint() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairs(in: folder, images: "missing")
        let output = folder.appendingPathComponent("run")
        let missing = #expect(throws: TrainingError.self) {
            try Self.trainer(try Self.objective("FC", pairs: pairs), Self.config(output)).run(resume: true)
        }
        #expect(missing.map { "\($0)" }?.hasPrefix("cannot resume") == true)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("checkpoints").path))
        _ = try Self.trainer(try Self.objective("FC", pairs: pairs), Self.config(output, steps: 1)).run(resume: false)
        let used = #expect(throws: TrainingError.self) {
            try Self.trainer(try Self.objective("FC", pairs: pairs), Self.config(output, steps: 1)).run(resume: false)
        }
        #expect(used.map { "\($0)" }?.contains("already holds checkpoints") == true)
    }

    @Test("the seed decides the trained weights", arguments: ["FC", "Arch3"])
    func seedHonoured(arch: String) throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try Self.pairs(in: folder)
        func trained(seed: UInt64, _ name: String) throws -> [String: [Float]] {
            let objective = try Self.objective(arch, pairs: pairs, seed: seed)
            _ = try Self.trainer(objective, Self.config(folder.appendingPathComponent(name), steps: 3, seed: seed))
                .run(resume: false)
            return Self.state(objective)
        }
        let first = try trained(seed: 3, "a")
        _ = Tensor.randn([5])
        #expect(try trained(seed: 3, "b") == first)
        #expect(try trained(seed: 4, "c") != first)
    }

    @Test("Algorithm 1: each update steps only its own network, in order, the switched-off ones left out",
          arguments: ["Arch1", "Arch3", "R3AN"])
    func updatesTouchTheirOwnNetworks(arch: String) throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = try #require(try Self.objective(arch, pairs: try Self.pairs(in: folder)) as? R3ANObjective)
        let updates = try objective.updates(config: Self.config(folder))
        let expected = ["Arch1": ["generator", "extractor"], "Arch3": ["joint"],
                        "R3AN": ["discriminator", "generator", "extractor", "joint"]][arch]!
        #expect(updates.map(\.name) == expected)
        Runtime.seed(3)
        let batch = Batch(images: Tensor.rand([2, 3, 56, 56]) * 2 - 1, labels: Tensor([Int64(0), 1]), indices: [0, 1])
        let networks = [("generator", objective.transformation.generator as Module),
                        ("extractor", objective.transformation.extractor), ("discriminator", objective.discriminator)]
        for update in updates {
            let before = networks.map { CrossModelFixtures.snapshot($0.1) }
            for module in objective.modules.values { module.zeroGrad() }
            try update.losses(batch, 0)["loss"]!.backward()
            for optimizer in update.optimizers.values { optimizer.step() }
            let changed = zip(networks, before).filter { CrossModelFixtures.changedCount($0.0.1, since: $0.1) > 0 }
                .map(\.0.0)
            let owners = ["discriminator": ["discriminator"], "generator": ["generator"], "extractor": ["extractor"],
                          "joint": ["generator", "extractor"]][update.name]!
            #expect(changed == owners, "\(update.name) changed \(changed)")
        }
    }

    @Test("the discriminator and generator use the chosen optimizer, the extractor SGD",
          arguments: ReconstructionOptimizer.allCases)
    func reconstructionOptimizer(_ kind: ReconstructionOptimizer) throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 4, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = try Self.objective("R3AN", pairs: try Self.pairs(in: folder), optimizer: kind)
        let optimizers = try objective.updates(config: Self.config(folder)).flatMap(\.optimizers)
        let names = Dictionary(uniqueKeysWithValues: optimizers.map { ($0.key, $0.value.name) })
        let expected = kind == .adam ? "Adam" : "SGD"
        #expect(names == ["optimizer-discriminator": expected, "optimizer-generator": expected,
                          "optimizer-extractor": "SGD", "optimizer-joint-generator": expected,
                          "optimizer-joint-extractor": "SGD"])
        let rates = Dictionary(uniqueKeysWithValues: optimizers.map {
            (String($0.key.dropFirst("optimizer-".count)), $0.value.baseLearningRates)
        })
        let generatorRate = kind == .adam ? ReconstructionOptimizer.adamLearningRate : 0.05
        #expect(rates["generator"] == [generatorRate] && rates["joint-generator"] == [generatorRate])
        #expect(rates["extractor"] == [0.05] && rates["joint-extractor"] == [0.05])
    }

    @Test("the learning rate drops tenfold at 30, 50 and 70 % of the run")
    func schedule() {
        let config = TrainingConfig.crossModel(iterations: 200_000, batchSize: 512, seed: 0,
                                               output: URL(fileURLWithPath: "/tmp/unused"))
        #expect(config.schedule == .multiStep(milestones: [60_000, 100_000, 140_000], gamma: 0.1))
        #expect(config.gradientClipNorm == nil && !config.exemptNormAndBiasFromDecay && config.weightDecay == 1e-3)
    }

    @Test("the FC baseline trains on features alone and its loss falls")
    func featureMLP() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = try Self.objective("FC", pairs: try Self.pairs(in: folder, images: "missing-images"))
        let output = folder.appendingPathComponent("fc")
        var config = Self.config(output, steps: 30, learningRate: 0.1)
        config.logInterval = 6
        _ = try Self.trainer(objective, config).run(resume: false)
        let losses = try TrainingFixtures.logLines(in: output).compactMap { $0["loss"] as? Double }
        #expect(losses.count == 5 && losses.last! < losses.first!)
        let saved = objective.transformer()
        #expect(saved.sourceModel == "source" && saved.targetModel == "target" && saved.architecture == "mlp")
    }

    @Test("training refuses source and target features of the same model name, whatever the dimensions")
    func sameModelRefused() throws {
        let paths = ["a/1", "a/2"]
        let pairs = try CrossModelPairs(
            source: FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 16, seed: 1), paths: paths),
            target: FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 8, seed: 2), paths: paths),
            imageRoot: URL(fileURLWithPath: "/missing"), sourceModel: "features", targetModel: "features")
        let error = #expect(throws: CrossModelError.self) { try Self.objective("FC", pairs: pairs) }
        #expect(error?.description.hasPrefix("the source and target features both belong to model 'features'") == true)
        #expect(throws: CrossModelError.self) { try Self.objective("R3AN", pairs: pairs) }
        #expect(throws: CrossModelError.self) { try FeatureTransformer.linear(fittedOn: pairs) }
    }

    @Test("features without columns are refused before any network is built (issue 14: N×0 trapped)")
    func emptyFeaturesRefused() throws {
        let paths = ["a/1", "a/2"]
        let pairs = try CrossModelPairs(
            source: FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 16, seed: 1), paths: paths),
            target: FeatureFile(features: try FeatureMatrix(rows: 2, columns: 0, values: []), paths: paths),
            imageRoot: URL(fileURLWithPath: "/missing"), sourceModel: "s", targetModel: "t")
        for arch in ["FC", "R3AN"] {
            let error = #expect(throws: CrossModelError.self) { try Self.objective(arch, pairs: pairs) }
            #expect(error?.description.contains("16 → 0-dimensional") == true)
        }
        #expect(throws: CrossModelError.self) { try FeatureTransformer.linear(fittedOn: pairs) }
    }
}
