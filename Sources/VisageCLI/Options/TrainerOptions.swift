import ArgumentParser
import Foundation
import Visage

/// The flags that override a run's ``TrainingConfig``: length, batch, learning rate and warmup, seed, intervals
/// and output folder.
struct TrainerOptions: ParsableArguments {
    @Option(help: "Optimizer steps.")
    var steps: Int?

    @Option(help: "Epochs.")
    var epochs: Int?

    @Option(help: "Batch size (with several processes, the whole batch they share).")
    var batchSize: Int?

    @Option(help: "Base learning rate.")
    var lr: Double?

    @Option(help: "Linear warmup from 0 to the base rate, in the unit of the length (steps or epochs).")
    var warmup: Int?

    @Option(help: "Seed for initialization, order and augmentation.")
    var seed: UInt64?

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery: Int?

    @Option(help: "Steps between validations.")
    var validateEvery: Int?

    @Option(help: "Output folder.")
    var out: String?

    /// `configuration` with the flags given applied; throws for both --steps and --epochs.
    func apply(to configuration: TrainingConfig) throws -> TrainingConfig {
        var configuration = configuration
        if steps != nil && epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
        if let steps { configuration.length = .steps(steps) }
        if let epochs { configuration.length = .epochs(epochs) }
        if let batchSize { configuration.batchSize = batchSize }
        if let lr { configuration.learningRate = lr }
        if let warmup { configuration.warmup = warmup }
        if let seed { configuration.seed = seed }
        if let checkpointEvery { configuration.checkpointInterval = checkpointEvery }
        if let validateEvery { configuration.validationInterval = validateEvery }
        if let out { configuration.outputDirectory = out }
        try configuration.validate()
        return configuration
    }
}
