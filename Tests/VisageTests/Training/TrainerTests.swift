import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Trainer", .serialized)
struct TrainerTests {
    @Test func killedAndResumedRunEqualsAnUninterruptedOneBitForBit() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let straight = folder.appendingPathComponent("straight")
        let interrupted = folder.appendingPathComponent("interrupted")

        let reference = TrainingFixtures.objective(seed: 1)
        _ = try TrainingFixtures.trainer(reference, config: TrainingFixtures.config(output: straight))
            .run(resume: false)

        // Killed at step 10: the checkpoint of step 8 survives, steps 8 and 9 are lost.
        let first = TrainingFixtures.objective(seed: 1)
        first.killAt = 10
        #expect(throws: TinyObjective.Killed.self) {
            try TrainingFixtures.trainer(first, config: TrainingFixtures.config(output: interrupted)).run(resume: false)
        }
        // A new process: other initial weights, other generator state, until the checkpoint is loaded.
        let resumed = TrainingFixtures.objective(seed: 99)
        _ = Tensor.randn([123])
        let summary = try TrainingFixtures.trainer(resumed, config: TrainingFixtures.config(output: interrupted))
            .run(resume: true)

        #expect(summary.startStep == 8)
        #expect(summary.steps == 15)
        let expected = reference.snapshot()
        let actual = resumed.snapshot()
        #expect(actual.keys.sorted() == expected.keys.sorted())
        let differing = expected.keys.filter { actual[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "differ after resuming: \(differing)")
        // The redone steps replace the killed run's lines: the logs agree line for line.
        let stable = { (lines: [[String: Any]]) in
            lines.map { line in
                line.filter { $0.key != "time" && $0.key != "images_per_second" }.map { "\($0.key)=\($0.value)" }.sorted()
            }
        }
        #expect(stable(try TrainingFixtures.logLines(in: interrupted))
            == stable(try TrainingFixtures.logLines(in: straight)))
    }

    @Test func dropoutMakesTheGeneratorStateMatter() throws {
        // The control for the test above: the same run from another generator state ends elsewhere.
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = TrainingFixtures.config(output: folder.appendingPathComponent("a"))
        let a = TrainingFixtures.objective(seed: 1)
        _ = try TrainingFixtures.trainer(a, config: config).run(resume: false)
        config.seed = 6
        config.outputDirectory = folder.appendingPathComponent("b").path
        let b = TrainingFixtures.objective(seed: 1)
        _ = try TrainingFixtures.trainer(b, config: config).run(resume: false)
        #expect(a.snapshot()["classifier.weight"] != b.snapshot()["classifier.weight"])
    }

    @Test(arguments: ["loss", "accuracy"])
    func aNonFiniteLossStopsBeforeTheUpdateAndKeepsTheLastCheckpoint(name: String) throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = TrainingFixtures.objective(seed: 2)
        objective.nanAt = (step: 6, name: name)
        let trainer = try TrainingFixtures.trainer(objective, config: TrainingFixtures.config(output: folder))
        let error = #expect(throws: TrainingError.self) { try trainer.run(resume: false) }
        let checkpoint = trainer.checkpoints.directory.appendingPathComponent("step-00000004").path
        guard case .nonFiniteLoss(let step, let lossName, let value, let lastCheckpoint) = error else {
            Issue.record("expected nonFiniteLoss, got \(String(describing: error))")
            return
        }
        #expect(step == 6 && lossName == name && value.isNaN && lastCheckpoint == checkpoint)
        #expect(error?.description.contains("step 6") == true)
        #expect(error?.description.contains(checkpoint) == true)
        #expect(trainer.checkpoints.latest?.path == checkpoint)
        #expect(objective.snapshot().values.allSatisfy { $0.allSatisfy(\.isFinite) })

        // The checkpoint loads strictly into fresh modules, and the run resumes from it to the end.
        let fresh = TrainingFixtures.objective(seed: 3)
        let state = try trainer.checkpoints.state(at: URL(fileURLWithPath: checkpoint))
        #expect(state.step == 4)
        let summary = try TrainingFixtures.trainer(fresh, config: trainer.config).run(resume: true)
        #expect(summary.startStep == 4)
        #expect(summary.losses["loss"]?.isFinite == true)
    }

    @Test func aNonFiniteGradientStopsBeforeTheUpdate() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let objective = TrainingFixtures.objective(seed: 2)
        objective.nanGradientAt = 5
        let trainer = try TrainingFixtures.trainer(objective, config: TrainingFixtures.config(output: folder))
        let error = #expect(throws: TrainingError.self) { try trainer.run(resume: false) }
        guard case .nonFiniteGradient(let step, let norm, let lastCheckpoint) = error else {
            Issue.record("expected nonFiniteGradient, got \(String(describing: error))")
            return
        }
        #expect(step == 5 && norm.isNaN && lastCheckpoint == trainer.checkpoints.latest?.path)
        #expect(objective.snapshot().values.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test func aLoaderWithoutABatchIsRefused() throws {
        let loader = try BatchLoader(source: TinyFaces(count: 5), batchSize: 8, dropLast: true, imageSize: 8,
                                     channels: 1)
        let error = #expect(throws: TrainingError.self) {
            try Trainer(objective: TinyObjective(), loader: loader,
                        config: TrainingFixtures.config(output: URL(fileURLWithPath: "/nonexistent")))
        }
        #expect(error?.description.contains("5 samples") == true)
    }

    @Test func logLinesAreJSONWithTheExpectedKeys() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = TrainingFixtures.config(output: folder)
        config.validationInterval = 6
        var validatedAt: [Int] = []
        let objective = TrainingFixtures.objective(seed: 4)
        let trainer = try TrainingFixtures.trainer(objective, config: config) { step in
            #expect(!objective.embedder.isTraining)
            validatedAt.append(step)
            return ["accuracy_val": 0.5, "broken": .nan]
        }
        let summary = try trainer.run(resume: false)
        let lines = try TrainingFixtures.logLines(in: folder)

        let train = lines.filter { $0["kind"] as? String == "train" }
        #expect(train.map { $0["step"] as? Int } == [3, 6, 9, 12, 15])
        for line in train {
            #expect(Set(line.keys) == ["kind", "step", "epoch", "lr", "loss", "accuracy", "images_per_second", "time"])
            #expect((line["loss"] as? Double).map { $0 > 0 } == true)
            #expect(line["time"] is String)
        }
        #expect(train.map { $0["epoch"] as? Int } == [0, 1, 1, 2, 2])
        // Lines report the rate of their last step: warmup on steps 0–1, 0.2 until the milestone at step 9, then 0.02.
        // (JSONSerialization on Linux may be off by an ulp or two when parsing.)
        let rates = train.compactMap { $0["lr"] as? Double }
        #expect(rates.count == 5)
        #expect(zip(rates, [0.2, 0.2, 0.2, 0.02, 0.02]).allSatisfy { abs($0 - $1) < 1e-12 })

        let validation = lines.filter { $0["kind"] as? String == "validation" }
        #expect(validatedAt == [6, 12, 15])
        #expect(validation.map { $0["step"] as? Int } == [6, 12, 15])
        #expect(validation.first?["accuracy_val"] as? Double == 0.5)
        #expect(validation.first?["broken"] is NSNull)
        #expect(summary.validation["accuracy_val"] == 0.5)
        #expect(objective.embedder.isTraining)
    }

    @Test func lossFallsOnALearnableProblem() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = TrainingFixtures.config(output: folder, steps: 60)
        config.schedule = .cosine(minimumLearningRate: 0)
        config.logInterval = 10
        let summary = try TrainingFixtures.trainer(TrainingFixtures.objective(seed: 8), config: config)
            .run(resume: false)
        let losses = try TrainingFixtures.logLines(in: folder).compactMap { $0["loss"] as? Double }
        #expect(losses.count == 6)
        #expect(losses.last! < 0.5 * losses.first!)
        #expect(summary.losses["accuracy"]! > 0.8)
    }
}
