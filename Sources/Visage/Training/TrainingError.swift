/// Why a training run stopped or could not start.
public enum TrainingError: Error, CustomStringConvertible {
    /// A loss was NaN or infinite at `step` (0-based); the step was not applied, so the weights and
    /// `lastCheckpoint` (nil before the first checkpoint) are from before it.
    case nonFiniteLoss(step: Int, name: String, value: Double, lastCheckpoint: String?)
    /// The gradients' total norm was NaN or infinite at `step` although the losses were finite (checked when
    /// clipping is on); the update was not applied.
    case nonFiniteGradient(step: Int, norm: Double, lastCheckpoint: String?)
    /// The objective returned no `"loss"` to optimize.
    case missingLoss(step: Int, names: [String])
    /// A loss is not a one-element tensor.
    case nonScalarLoss(step: Int, name: String, shape: [Int])
    /// A loss or validation metric has a name the log uses for its own fields.
    case reservedName(String)
    /// The objective has no modules, or a module name that cannot be a file name.
    case invalidModules(String)
    /// The loader's batch size differs from the configuration's.
    case batchSizeMismatch(loader: Int, config: Int)
    /// The loader yields no batch: fewer samples than one batch, with incomplete batches dropped.
    case noBatches(samples: Int, batchSize: Int)
    /// A resume was asked for but the folder has no checkpoint.
    case noCheckpoint(directory: String)
    /// A fresh run was asked for in a folder that already holds checkpoints.
    case existingRun(directory: String)
    /// Another process is writing a run into the folder.
    case runFolderBusy(directory: String)
    /// The checkpoint was written by a run with other settings, data or modules, listed as "what: then, now".
    case resumeMismatch(checkpoint: String, differences: [String])
    /// The loader ran out of batches before the end of an epoch (its source shrank during the run).
    case loaderEnded(epoch: Int, batch: Int)
    /// The objective compares easy and hard views but the loader makes no hard view.
    case missingHardView
    /// In data-parallel training the loader does not give this rank's share of each batch.
    case shardMismatch(loader: BatchShard, rank: Int, worldSize: Int)
    /// The checkpoint's sharded modules (Partial FC's class centers) were split over another number of ranks.
    case shardedRanksMismatch(checkpoint: String, modules: [String], checkpointRanks: Int, ranks: Int)

    /// The problem and what to do about it, in one or two sentences.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let step, let name, let value, let lastCheckpoint):
            "loss \"\(name)\" is \(value) at step \(step); training stopped before applying it. "
                + (lastCheckpoint.map { "The last good checkpoint is \($0): resume from it with a lower learning rate or gradient clipping, or inspect the batch." }
                    ?? "No checkpoint was written yet.")
        case .nonFiniteGradient(let step, let norm, let lastCheckpoint):
            "the gradient norm is \(norm) at step \(step); training stopped before applying it. "
                + (lastCheckpoint.map { "The last good checkpoint is \($0)." } ?? "No checkpoint was written yet.")
        case .missingLoss(let step, let names):
            "the objective returned no \"loss\" at step \(step) (it returned: \(names.sorted().joined(separator: ", ")))"
        case .nonScalarLoss(let step, let name, let shape):
            "loss \"\(name)\" at step \(step) has shape \(shape); losses must be one-element tensors"
        case .reservedName(let name):
            "\"\(name)\" cannot name a loss or metric: the log uses it for its own field"
        case .invalidModules(let problem):
            "invalid training modules: \(problem)"
        case .batchSizeMismatch(let loader, let config):
            "the loader's batch size is \(loader) but the configuration's batch_size is \(config)"
        case .noBatches(let samples, let batchSize):
            "the loader yields no batch: \(samples) samples do not fill one batch of \(batchSize) with drop-last on"
        case .noCheckpoint(let directory):
            "cannot resume: \(directory) holds no checkpoint"
        case .existingRun(let directory):
            "\(directory) already holds checkpoints of a run: resume it, or choose another output directory"
        case .runFolderBusy(let directory):
            "another process is writing a run into \(directory) (it holds \(directory)/.lock): wait for it to end, "
                + "or choose another output directory"
        case .shardedRanksMismatch(let checkpoint, let modules, let checkpointRanks, let ranks):
            "cannot resume from \(checkpoint) on \(ranks) rank\(ranks == 1 ? "" : "s"): its \(modules.joined(separator: ", ")) "
                + "(Partial FC's class centers) is split over \(checkpointRanks) rank\(checkpointRanks == 1 ? "" : "s"), "
                + "one file per rank; a run with sharded modules resumes on the same number of ranks only"
        case .resumeMismatch(let checkpoint, let differences):
            "cannot resume from \(checkpoint): it was written "
                + differences.joined(separator: "; ")
                + ". Resume with the checkpoint's settings (its trainer.json has them) or start a new output directory;"
                + " only output_directory, checkpoint_interval, keep_checkpoints, validation_interval and log_interval"
                + " may change on resume"
        case .loaderEnded(let epoch, let batch):
            "the loader ended at batch \(batch) of epoch \(epoch), before the epoch's planned end"
        case .missingHardView:
            "the objective needs a hard view of each face; give the loader a hard transform (a degradation)"
        case .shardMismatch(let loader, let rank, let worldSize):
            "rank \(rank) of \(worldSize) needs a loader that gives share \(rank) of \(worldSize) of each batch; "
                + "this one gives \(loader)"
        }
    }
}
