import Foundation
import Testing
@testable import Visage

@Suite("Training configuration")
struct TrainingConfigTests {
    @Test(arguments: [
        TrainingConfig(),
        TrainingConfig(
            length: .steps(500), batchSize: 32, learningRate: 0.05, momentum: 0.85, weightDecay: 1e-4,
            exemptNormAndBiasFromDecay: false, schedule: .multiStep(milestones: [100, 300], gamma: 0.5), warmup: 50,
            warmupStartFactor: 0.1, gradientClipNorm: nil, checkpointInterval: 100, keptCheckpoints: 5,
            validationInterval: 250, logInterval: 10, seed: 0xFFFF_FFFF_FFFF_FFFF, outputDirectory: "runs/a b/ç"),
        TrainingConfig(length: .epochs(4), schedule: .cosine(minimumLearningRate: 1e-5), warmup: 1),
        TrainingConfig(schedule: .constant),
    ])
    func roundTripsThroughJSON(config: TrainingConfig) throws {
        #expect(try TrainingConfig.decode(config.jsonData()) == config)
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.json")
        try config.save(to: file)
        #expect(try TrainingConfig.load(from: file) == config)
    }

    @Test func absentKeysTakeTheirDefaultsAndNullTurnsClippingOff() throws {
        let config = try TrainingConfig.decode(Data(#"{"steps": 10, "gradient_clip_norm": null}"#.utf8))
        var expected = TrainingConfig(length: .steps(10))
        expected.gradientClipNorm = nil
        #expect(config == expected)
        #expect(try TrainingConfig.decode(Data("{}".utf8)) == TrainingConfig())
    }

    @Test(arguments: [
        (#"{"batchsize": 64}"#, "batchsize", "unknown key in a training configuration (known keys: batch_size,"),
        (#"{"batch_size": "big"}"#, "batch_size", #""big" is invalid: expected an integer"#),
        (#"{"batch_size": 2.5}"#, "batch_size", "2.5 is invalid: expected an integer"),
        (#"{"batch_size": -3}"#, "batch_size", "-3 is invalid: must be > 0"),
        (#"{"momentum": 1.5}"#, "momentum", "1.5 is invalid: must be in [0, 1)"),
        (#"{"steps": 10, "epochs": 2}"#, "steps", "not both"),
        (#"{"schedule": {"kind": "step"}}"#, "schedule.kind", #""step" is not a schedule kind"#),
        (#"{"schedule": {"kind": "cosine", "gamma": 0.1}}"#, "schedule.gamma", "unknown key in a cosine schedule"),
        (#"{"schedule": {"kind": "multistep"}}"#, "schedule", #"missing required key "milestones""#),
        (#"{"schedule": {"kind": "multistep", "milestones": [5, "x"]}}"#, "schedule.milestones[1]", #""x""#),
        (#"{"schedule": {"kind": "multistep", "milestones": [5, 7.5]}}"#, "schedule.milestones", "[5,7.5] is invalid"),
        (#"{"schedule": {"gamma": 0.5}}"#, "schedule", #"missing required key "kind""#),
        (#"{"epochs": 10, "schedule": {"kind": "multistep", "milestones": [12]}}"#, "schedule.milestones", "12"),
        (#"{"epochs": 10, "warmup": 10}"#, "warmup", "10 is invalid"),
        (#"{"gradient_clip_norm": 0}"#, "gradient_clip_norm", "0.0 is invalid"),
        (#"{"epochs": 9223372036854775807}"#, "epochs", "must be in 1…1,000,000,000"),
        (#"{"steps": 0}"#, "steps", "0 is invalid: must be in 1…1,000,000,000"),
    ])
    func badValuesNameTheFileKeyAndValue(json: String, key: String, fragment: String) throws {
        let error = #expect(throws: TrainingConfigError.self) {
            try TrainingConfig.decode(Data(json.utf8), file: "train.json")
        }
        #expect(error?.file == "train.json")
        #expect(error?.key == key, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("train.json: \(key): ") == true)
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func unreadableAndMalformedFilesAreNamed() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.json")
        let missingError = #expect(throws: TrainingConfigError.self) { try TrainingConfig.load(from: missing) }
        #expect(missingError?.description.hasPrefix(missing.path + ": cannot read") == true)

        for (name, text, fragment) in [("broken.json", "{\"steps\": ", "not valid JSON"),
                                       ("list.json", "[1, 2]", "expected a JSON object")] {
            let file = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            let error = #expect(throws: TrainingConfigError.self) { try TrainingConfig.load(from: file) }
            #expect(error?.file == file.path)
            #expect(error?.description.contains(fragment) == true)
        }
    }

    @Test func totalStepsAndScheduleFollowTheLengthUnit() throws {
        // 3 epochs of 10 batches; warmup of 1 epoch; milestone at epoch 2.
        let config = TrainingConfig(length: .epochs(3), learningRate: 1, schedule: .multiStep(milestones: [2], gamma: 0.5),
                                    warmup: 1, warmupStartFactor: 0)
        let steps = config.length.totalSteps(batchesPerEpoch: 10)
        #expect(steps == 30)
        let schedule = try config.schedule.schedule(
            totalSteps: steps, stepsPerUnit: config.length.stepsPerUnit(batchesPerEpoch: 10), warmupSteps: 10,
            warmupStartFactor: 0)
        #expect([0, 5, 10, 19, 20, 29].map { schedule.learningRate(at: $0, base: 1) } == [0, 0.5, 1, 1, 0.5, 0.5])
    }
}
