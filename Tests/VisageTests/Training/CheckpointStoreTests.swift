import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Checkpoint store", .serialized)
struct CheckpointStoreTests {
    @Test func keepsTheNewestCheckpointsAndPointsLatestAtTheLast() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = TrainingFixtures.objective(seed: 1)
        let trainer = try TrainingFixtures.trainer(objective, config: TrainingFixtures.config(output: folder))
        let summary = try trainer.run(resume: false)

        let store = trainer.checkpoints
        // Checkpoints at 4, 8, 12 and the last step, 15; two kept.
        #expect(store.checkpoints.map(\.step) == [12, 15])
        #expect(store.latest?.lastPathComponent == "step-00000015")
        #expect(summary.checkpoint.lastPathComponent == "step-00000015")
        let files = try FileManager.default.contentsOfDirectory(atPath: store.latest!.path).sorted()
        #expect(files == ["classifier.safetensors", "embedder.safetensors", "optimizer.safetensors", "trainer.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path).allSatisfy { !$0.hasPrefix(".") })

        let state = try store.state(at: store.latest!)
        #expect(state.step == 15 && state.epoch == 3 && state.batchInEpoch == 0)
        #expect(state.config == trainer.config)
        #expect(state.modules == ["classifier", "embedder"])
        #expect(state.randomState == Data(Runtime.randomState.array(of: UInt8.self)))
        // Module files are plain state dicts, loadable on their own.
        let copy = TinyEmbedder()
        try copy.load(from: store.latest!.appendingPathComponent("embedder.safetensors"))
        #expect(copy.linear.weight.array(of: Float.self) == objective.embedder.linear.weight.array(of: Float.self))
    }

    @Test func savingOverAnExistingStepReplacesItAndClearsInterruptedSaves() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = TrainingFixtures.objective(seed: 1)
        let trainer = try TrainingFixtures.trainer(objective, config: TrainingFixtures.config(output: folder))
        _ = try trainer.run(resume: false)
        var state = try trainer.checkpoints.state(at: trainer.checkpoints.latest!)
        state.losses = ["loss": 42]
        let interrupted = trainer.checkpoints.directory.appendingPathComponent(".step-00000016.tmp-1-2")
        try FileManager.default.createDirectory(at: interrupted, withIntermediateDirectories: false)
        let url = try trainer.checkpoints.save(modules: objective.modules, optimizers: trainer.optimizers, state: state)
        #expect(try trainer.checkpoints.state(at: url).losses == ["loss": 42])
        #expect(trainer.checkpoints.checkpoints.map(\.step) == [12, 15])
        #expect(!FileManager.default.fileExists(atPath: interrupted.path))
    }

    @Test func resumingNeedsACheckpointAndAFreshRunNeedsAnEmptyFolder() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = TrainingFixtures.config(output: folder)
        let none = #expect(throws: TrainingError.self) {
            try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config).run(resume: true)
        }
        #expect(none?.description.contains("holds no checkpoint") == true)
        _ = try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config).run(resume: false)
        let again = #expect(throws: TrainingError.self) {
            try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config).run(resume: false)
        }
        #expect(again?.description.contains("already holds checkpoints") == true)
    }

    @Test func resumingWithOtherSettingsOrDataIsRefusedWithTheDifferences() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = TrainingFixtures.config(output: folder)
        let first = TrainingFixtures.objective(seed: 1)
        first.killAt = 6
        #expect(throws: TinyObjective.Killed.self) {
            try TrainingFixtures.trainer(first, config: config).run(resume: false)
        }

        var changed = config
        changed.learningRate = 0.1
        changed.logInterval = 5
        let error = #expect(throws: TrainingError.self) {
            try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: changed).run(resume: true)
        }
        guard case .resumeMismatch(_, let differences) = error else {
            Issue.record("expected resumeMismatch, got \(String(describing: error))")
            return
        }
        #expect(differences == ["with learning_rate 0.2 (this run: 0.1)"])

        let dataError = #expect(throws: TrainingError.self) {
            try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config,
                                         loader: try TrainingFixtures.loader(seed: 9)).run(resume: true)
        }
        #expect(dataError?.description.contains("with loader seed 5 (this run: 9)") == true)

        // Intervals may change.
        var relaxed = config
        relaxed.logInterval = 5
        relaxed.checkpointInterval = 100
        let summary = try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: relaxed).run(resume: true)
        #expect(summary.startStep == 4)
    }

    @Test func aCorruptGeneratorStateIsReportedWithItsFile() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = TrainingFixtures.config(output: folder)
        let trainer = try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config)
        _ = try trainer.run(resume: false)
        var state = try trainer.checkpoints.state(at: trainer.checkpoints.latest!)
        state.randomState = Data([1, 2, 3])
        try trainer.checkpoints.save(modules: trainer.objective.modules, optimizers: trainer.optimizers, state: state)
        let error = #expect(throws: CheckpointError.self) {
            try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 1), config: config).run(resume: true)
        }
        #expect(error?.description.contains("trainer.json") == true)
        #expect(error?.description.contains("random_state") == true)
    }
}
