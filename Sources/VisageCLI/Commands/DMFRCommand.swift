import ArgumentParser
import Foundation
import Torch
import Visage

/// `visage dmfr`: DMFR (training with synthetic samples without being fooled by them) on the shared data.
struct DMFRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dmfr",
        abstract: "Train the MS1M MobileFaceNet's last layer with synthetic samples (DMFR's modes) and evaluate it.",
        discussion: """
            The trunk of mobilefacenet-ms1m stays frozen: `features` runs it once over LFW View 1's DevTrain \
            people (with re-posed and degraded copies and their zero-change copies) and over the test protocols \
            (LFW DevTest, its cross-quality and cross-pose copies, Extended Yale B's hard lighting) and caches the \
            512-D trunk features; `train` trains the last layer in one mode on them; `eval` prints TAR at FAR 1e-3 \
            and 1e-4 over all-vs-all impostor pairs, balanced accuracy and the mean similarities.
            """,
        subcommands: [DMFRFeaturesCommand.self, DMFRTrainCommand.self, DMFREvalCommand.self])
}

/// The engine DMFR builds on, split at its last layer.
private func engineSplit() throws -> LastLayerSplit {
    guard let network = try FaceModel.load("mobilefacenet-ms1m").backbone as? MobileFaceNetMS1M else {
        throw ValidationError("the mobilefacenet-ms1m engine did not load as a MobileFaceNet")
    }
    return LastLayerSplit(network)
}

struct DMFRFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features", abstract: "Cache the frozen trunk's features of the training and test images.")

    @Option(help: "The shared data folder, holding lfw/ and yaleb/.")
    var data: String

    @Option(help: "Folder to write the cache to (must not exist).")
    var out: String

    @Option(help: "At most this many images of each LFW person (people with one image are left out).")
    var imagesPerPerson = 10

    @Option(help: "At most this many DevTrain people (default: all 1,184 with two images or more).")
    var trainingPeople: Int?

    @Option(help: "At most this many Yale B images of each person in each lighting group (default: all).")
    var yaleImagesPerPerson: Int?

    @Option(help: "Seed of the synthetic copies.")
    var seed: UInt64 = 0

    func run() throws {
        let settings = try DMFRFeatureSet.BuildSettings(data: URL(fileURLWithPath: data),
                                                        imagesPerPerson: imagesPerPerson,
                                                        trainingPeople: trainingPeople ?? .max,
                                                        yaleImagesPerPerson: yaleImagesPerPerson ?? .max, seed: seed)
        let cache = try DMFRFeatureSet.build(settings, split: engineSplit(), into: URL(fileURLWithPath: out))
        print("wrote \(cache.directory.path)")
    }
}

extension DMFRMode: ExpressibleByArgument {}

struct DMFRTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train the last layer in one DMFR mode on a feature cache.")

    @Option(help: ArgumentHelp("How synthetic samples take part: real only, naive mixing, filter, meta or disentangle "
        + "(see `visage dmfr --help`)."))
    var synthetic: DMFRMode

    @Option(help: "The feature cache from `visage dmfr features`.")
    var features: String

    @Option(help: "Output folder: log, checkpoints, model.safetensors.")
    var out: String

    @Option(help: "Margin loss: cosface (s 64, m 0.4, the paper's) or arcface.")
    var loss: MarginKind.Name = .cosface

    @Option(help: "Training steps.")
    var steps = 300

    @Option(help: "Real images per batch (synthetic copies come on top).")
    var batchSize = 128

    @Option(help: "SGD learning rate (also the meta mode's inner step).")
    var lr = 0.01

    @Option(help: "Seed of the initialization, batch order and synthetic draws.")
    var seed: UInt64 = 0

    @Flag(help: "Continue the run in the output folder from its last checkpoint.")
    var resume = false

    func validate() throws {
        guard steps > 0, batchSize > 1, lr > 0 else {
            throw ValidationError("--steps and --lr must be positive and --batch-size at least 2")
        }
        guard loss == .cosface || loss == .arcface else { throw ValidationError("--loss must be cosface or arcface") }
    }

    func run() throws {
        let cache = try DMFRFeatureSet(directory: URL(fileURLWithPath: features))
        let data = try DMFRTrainingData(cache: cache)
        let config = TrainingConfig(length: .steps(steps), batchSize: batchSize, learningRate: lr,
                                    schedule: .cosine(minimumLearningRate: 0), checkpointInterval: max(50, steps / 4),
                                    logInterval: 10, seed: seed, outputDirectory: out)
        let training = try DMFRTraining(mode: synthetic, data: data, split: engineSplit(),
                                        kind: MarginKind(loss), config: config)
        print("DMFR \(synthetic.rawValue): \(data.labels.count) real rows of \(data.classCount) people, \(steps) steps")
        let summary = try training.run(resume: resume)
        print(summary.description)
        print("model: \(training.modelURL.path)")
    }
}

struct DMFREvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "TAR at FAR 1e-3/1e-4 with all-vs-all impostors on DMFR's protocols.")

    @Option(help: "The feature cache from `visage dmfr features`.")
    var features: String

    @Option(help: ArgumentHelp("A model from `visage dmfr train`, or mobilefacenet-ms1m itself (repeatable; "
        + "default: mobilefacenet-ms1m)."))
    var model: [String] = []

    func run() throws {
        let cache = try DMFRFeatureSet(directory: URL(fileURLWithPath: features))
        for reference in model.isEmpty ? ["mobilefacenet-ms1m"] : model {
            guard let network = try FaceModel.load(reference).backbone as? MobileFaceNetMS1M else {
                throw ValidationError("\(reference) is not a MobileFaceNet (MS1M) model")
            }
            let map = try LastLayerSplit(network).lastLayer()
            let result = try DMFREvaluation(cache: cache) { Functional.linear($0, weight: map.weight, bias: map.bias) }
            print(reference)
            print("  protocol      genuine   impostors  TAR@1e-3  TAR@1e-4  bal.acc  mean-genuine  mean-impostor")
            for row in result.rows {
                print("  " + row.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%9d %11d %9.4f %9.4f", row.genuinePairs, row.impostorPairs, row.tarAt1e3,
                             row.tarAt1e4) + (row.measures1e4 ? " " : "*")
                    + String(format: "%8.4f %13.4f %14.4f", row.balancedAccuracy, row.meanGenuine, row.meanImpostor))
            }
            if result.rows.contains(where: { !$0.measures1e4 }) {
                print("  * fewer than 10 impostors may be accepted at FAR 1e-4: an estimate only")
            }
        }
    }
}
