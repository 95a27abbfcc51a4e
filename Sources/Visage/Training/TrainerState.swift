import Foundation

/// Where a run stands after a checkpointed step: the `trainer.json` of a checkpoint, everything besides the
/// weights and optimizer buffers that a resumed run needs to continue exactly.
public struct TrainerState: Codable, Sendable, Equatable {
    /// Optimizer steps completed.
    public var step: Int
    /// Epoch of the next step.
    public var epoch: Int
    /// Index of the next step's batch within its epoch.
    public var batchInEpoch: Int
    /// The loader's batches per epoch, samples, shuffle seed and shuffling when the checkpoint was written:
    /// a resumed run must see the same data in the same order.
    public var batchesPerEpoch: Int
    /// Samples in the training source.
    public var sampleCount: Int
    /// The loader's shuffle seed.
    public var loaderSeed: UInt64
    /// Whether the loader shuffles.
    public var shuffle: Bool
    /// The run's configuration.
    public var config: TrainingConfig
    /// Names of the checkpointed modules.
    public var modules: [String]
    /// The objective's ``TrainingObjective/trajectorySettings`` (absent in checkpoints of objectives without).
    public var objectiveSettings: [String: String]?
    /// libtorch's generator state after the step (`Runtime.randomState`), base64 in JSON.
    public var randomState: Data
    /// Loss sums of the steps since the last log line, so a resumed run logs the same means.
    public var logWindow: LossWindow
    /// The mean losses of the last log line.
    public var losses: [String: Double]
    /// The results of the last validation.
    public var validation: [String: Double]
    /// The number of ranks whose shares of the sharded modules the checkpoint holds (``TrainingObjective/shardedModules``);
    /// nil without sharded modules.
    public var shardRanks: Int?

    private enum CodingKeys: String, CodingKey {
        case step, epoch
        case batchInEpoch = "batch_in_epoch"
        case batchesPerEpoch = "batches_per_epoch"
        case sampleCount = "sample_count"
        case loaderSeed = "loader_seed"
        case shuffle, config, modules
        case objectiveSettings = "objective_settings"
        case randomState = "random_state"
        case logWindow = "log_window"
        case losses, validation
        case shardRanks = "shard_ranks"
    }
}
