import Foundation
import Torch

/// Trains a ``TrainingObjective``, as arcface_torch's train loop does: per step the scheduled learning rate, and
/// for each of the objective's updates (one for a ``LossObjective``) the losses of the batch, a finiteness check,
/// backward, gradient clipping of the update's clipped parameters and the optimizers' step; a JSON-lines log, a
/// progress bar, periodic validation and atomic checkpoints from which a killed run resumes exactly.
///
/// ```swift
/// Runtime.seed(config.seed)                 // before building the modules, for a reproducible initialization
/// let objective = Classification(backbone: …, head: …)
/// let loader = try BatchLoader(source: faces, batchSize: config.batchSize, shuffle: true, dropLast: true,
///                              seed: config.seed)
/// let summary = try Trainer(objective: objective, loader: loader, config: config).run(resume: false)
/// ```
///
/// **Resuming.** `run(resume: true)` loads the newest checkpoint of the output folder — modules, the state of every
/// optimizer, step, libtorch's generator state, the log window — and continues with the same batch of the same
/// epoch, the same learning rate and the same dropout masks, so the weights after N steps, a kill and a resume
/// are bit for bit those of an uninterrupted run. The checkpoint must come from a run with the same
/// trajectory settings, the same objective settings (``TrainingObjective/trajectorySettings``) and the same data
/// (see ``TrainingError/resumeMismatch(checkpoint:differences:)``).
///
/// **Failures.** A NaN or infinite loss stops the run before its backward pass, and (with clipping on) a NaN or
/// infinite gradient norm before the update, so every checkpoint is from before the bad step, and so are the
/// weights in memory but for the updates of that step that ran before the bad one
/// (``TrainingError/nonFiniteLoss(step:name:value:lastCheckpoint:)``,
/// ``TrainingError/nonFiniteGradient(step:norm:lastCheckpoint:)``).
///
/// **Several processes.** With a ``DataParallel`` each rank runs this trainer on its share of every batch (the
/// loader's ``BatchShard``; ``TrainingConfig/batchSize`` is the whole batch over all ranks): the modules start
/// from rank 0's, each backward pass's gradients are averaged over the ranks before clipping and the optimizer
/// step, the logged losses are the ranks' means, and rank 0 alone writes the folder (lock, configuration, log,
/// validation, checkpoints). A resume reads the newest checkpoint on every rank (the output folder must be
/// shared, or copied to each host), and may use any number of ranks that divides the batch.
///
/// **Sharded modules.** The objective's ``TrainingObjective/shardedModules`` (Partial FC's class centers) are
/// each rank's own: neither broadcast nor averaged, stepped by optimizers of their own, and checkpointed by
/// every rank into the shared output folder (``CheckpointStore/Shards``); such a run resumes on the same
/// number of ranks only (``TrainingError/shardedRanksMismatch(checkpoint:modules:checkpointRanks:ranks:)``).
public final class Trainer {
    /// What is trained.
    public let objective: any TrainingObjective
    /// The training batches.
    public let loader: any BatchSource
    /// The run's settings.
    public let config: TrainingConfig
    /// Called with the completed step count every `validation_interval` steps and after the last step, with the
    /// modules in evaluation mode and gradients off; its results are logged.
    public let validation: ((Int) throws -> [String: Double])?
    /// Whether ``run(resume:)`` draws a progress bar on standard error (rank 0 only).
    public var showsProgress = true
    /// The ranks this process trains with; nil for one process.
    public let dataParallel: DataParallel?

    /// The descents of each step, in order, from ``TrainingObjective/updates(config:)``.
    public let updates: [TrainingUpdate]
    /// Every update's optimizers by name (their checkpoint file names).
    public let optimizers: [String: any Optimizer]
    /// Steps in the whole run.
    public let totalSteps: Int
    /// The per-step learning-rate schedule built from the configuration.
    public let schedule: any LearningRateSchedule
    /// Where checkpoints go: `checkpoints/` in the output folder.
    public let checkpoints: CheckpointStore
    /// The modules and optimizers each rank checkpoints its own share of; nil when the objective has no
    /// sharded module.
    public let shards: CheckpointStore.Shards?

    private let modules: [String: Module]

    /// A trainer; throws for an invalid configuration, a loader whose batch size differs from it, or module
    /// names that cannot be file names.
    public init(
        objective: any TrainingObjective, loader: any BatchSource, config: TrainingConfig,
        validation: ((Int) throws -> [String: Double])? = nil, dataParallel: DataParallel? = nil
    ) throws {
        try config.validate()
        if let dataParallel, loader.shard != dataParallel.shard {
            throw TrainingError.shardMismatch(loader: loader.shard, rank: dataParallel.rank,
                                              worldSize: dataParallel.worldSize)
        }
        guard loader.batchSize == config.batchSize else {
            throw TrainingError.batchSizeMismatch(loader: loader.batchSize, config: config.batchSize)
        }
        guard loader.batchesPerEpoch > 0 else {
            throw TrainingError.noBatches(samples: loader.sampleCount, batchSize: loader.batchSize)
        }
        let modules = objective.modules
        guard !modules.isEmpty else { throw TrainingError.invalidModules("the objective has none") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        for name in modules.keys where name.isEmpty || name.hasPrefix(".") || !name.allSatisfy(allowed.contains) {
            throw TrainingError.invalidModules(
                "\"\(name)\" cannot be a file name (use letters, digits, -, _ and ., not first)")
        }
        self.objective = objective
        self.loader = loader
        self.config = config
        self.validation = validation
        self.dataParallel = dataParallel
        self.modules = modules

        updates = try objective.updates(config: config)
        guard !updates.isEmpty else { throw TrainingError.invalidModules("the objective has no update") }
        var optimizers: [String: any Optimizer] = [:]
        for update in updates {
            guard !update.optimizers.isEmpty else {
                throw TrainingError.invalidModules("the update \"\(update.name)\" has no optimizer")
            }
            for (name, optimizer) in update.optimizers {
                guard optimizers.updateValue(optimizer, forKey: name) == nil, modules[name] == nil else {
                    throw TrainingError.invalidModules(
                        "the optimizer name \"\(name)\" is used twice (names of modules and optimizers are file names)")
                }
                guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy(allowed.contains) else {
                    throw TrainingError.invalidModules("optimizer \"\(name)\" cannot be a file name")
                }
            }
        }
        self.optimizers = optimizers
        shards = try Self.shards(of: objective, modules: modules, optimizers: optimizers, group: dataParallel?.group)
        if let shards {
            dataParallel?.localParameters += modules.filter { shards.names.contains($0.key) }.values
                .flatMap { $0.parameters() }
        }

        let batchesPerEpoch = loader.batchesPerEpoch
        totalSteps = config.length.totalSteps(batchesPerEpoch: batchesPerEpoch)
        let stepsPerUnit = config.length.stepsPerUnit(batchesPerEpoch: batchesPerEpoch)
        schedule = try config.schedule.schedule(
            totalSteps: totalSteps, stepsPerUnit: stepsPerUnit, warmupSteps: config.warmup * stepsPerUnit,
            warmupStartFactor: config.warmupStartFactor)
        checkpoints = CheckpointStore(directory: config.outputURL.appendingPathComponent("checkpoints"),
                                      kept: config.keptCheckpoints)
    }

    /// Trains to the configured length, fresh (`resume` false: the output folder must hold no checkpoint) or
    /// from the output folder's newest checkpoint, and returns what was done.
    public func run(resume: Bool) throws -> TrainingSummary {
        let output = config.outputURL
        let isPrimary = dataParallel?.isPrimary ?? true
        let worldSize = dataParallel?.worldSize ?? 1
        let lock = isPrimary ? try RunFolderLock(output) : nil
        defer { withExtendedLifetime(lock) {} }
        let batchesPerEpoch = loader.batchesPerEpoch

        // In module-name order: data-parallel ranks exchange gradients in this order.
        let parameters = modules.sorted { $0.key < $1.key }.flatMap { $0.value.parameters() }
        var startStep = 0
        var window = LossWindow()
        var lastLosses: [String: Double] = [:]
        var lastValidation: [String: Double] = [:]
        var lastCheckpoint: URL?
        if resume {
            guard let latest = checkpoints.latest else {
                throw TrainingError.noCheckpoint(directory: checkpoints.directory.path)
            }
            let state = try checkpoints.state(at: latest)
            try checkCompatible(state, checkpoint: latest)
            try checkpoints.restore(latest, modules: modules, optimizers: optimizers, shards: shards)
            try restoreRandomState(state.randomState, checkpoint: latest)
            startStep = state.step
            window = state.logWindow
            lastLosses = state.losses
            lastValidation = state.validation
            lastCheckpoint = latest
        } else {
            guard !isPrimary || (checkpoints.latest == nil && checkpoints.checkpoints.isEmpty) else {
                throw TrainingError.existingRun(directory: output.path)
            }
            Runtime.seed(config.seed)
        }
        try dataParallel?.broadcastState(of: modules)
        var log: TrainingLog?
        if isPrimary {
            try config.save(to: output.appendingPathComponent("config.json"))
            log = try TrainingLog(url: output.appendingPathComponent("log.jsonl"),
                                  keepingThrough: resume ? startStep : nil)
        }

        for module in modules.values { module.train() }
        let progress = ProgressBar("train", total: totalSteps - startStep, unit: "step",
                                   enabled: showsProgress && isPrimary)
        let sessionStart = Date()
        var windowStart = Date()
        var windowImages = 0
        var sessionImages = 0
        var windowCommunication = dataParallel?.statistics
        var epoch: (any BatchSequence)?
        var epochIndex = -1

        for step in startStep..<totalSteps {
            let (epochOfStep, batchIndex) = step.quotientAndRemainder(dividingBy: batchesPerEpoch)
            if epochOfStep != epochIndex {
                epoch = loader.batches(epoch: epochOfStep, startingAt: batchIndex)
                epochIndex = epochOfStep
            }
            guard let batch = try epoch?.next() else {
                throw TrainingError.loaderEnded(epoch: epochOfStep, batch: batchIndex)
            }

            for optimizer in optimizers.values { schedule.apply(to: optimizer, at: step) }
            let learningRate = schedule.learningRate(at: step, base: config.learningRate)
            var values: [String: Double] = [:]
            for update in updates {
                for parameter in parameters where parameter.grad != nil { parameter.grad = nil }
                let losses = try update.losses(batch, step)
                let updateValues = try checkedValues(of: losses, step: step, lastCheckpoint: lastCheckpoint)
                try merge(updateValues, of: update, into: &values)
                losses["loss"]!.backward()
                try dataParallel?.averageGradients(of: parameters)
                if let maxNorm = config.gradientClipNorm, !update.clippedParameters.isEmpty {
                    let norm = clipGradNorm(update.clippedParameters, maxNorm: maxNorm)
                    guard norm.isFinite else {
                        throw TrainingError.nonFiniteGradient(step: step, norm: norm,
                                                              lastCheckpoint: lastCheckpoint?.path)
                    }
                }
                for (_, optimizer) in update.optimizers.sorted(by: { $0.key < $1.key }) { optimizer.step() }
            }
            for parameter in parameters where parameter.grad != nil { parameter.grad = nil }

            let completed = step + 1
            let samples = batch.indices.count * worldSize
            window.add(values, samples: samples)
            windowImages += samples
            sessionImages += samples
            progress.status = String(format: "loss %.4f lr %.4g", values["loss"]!, learningRate)
            progress.advance()

            if isPrimary, completed % config.logInterval == 0 || completed == totalSteps {
                let seconds = Date().timeIntervalSince(windowStart)
                lastLosses = window.means
                var fields: [(String, TrainingLog.Value)] = [
                    ("kind", .text("train")), ("step", .integer(completed)), ("epoch", .integer(epochOfStep)),
                    ("lr", .number(learningRate)),
                ]
                // "loss" first, then the others by name.
                fields += lastLosses.sorted { ($0.key == "loss" ? "" : $0.key) < ($1.key == "loss" ? "" : $1.key) }
                    .map { ($0.key, .number($0.value)) }
                fields.append(("images_per_second", .number(seconds > 0 ? Double(windowImages) / seconds : 0)))
                if let now = dataParallel?.statistics, let then = windowCommunication {
                    let steps = Double(max(1, now.exchanges - then.exchanges))
                    fields += [
                        ("world_size", .integer(worldSize)),
                        ("allreduce_seconds_per_step", .number((now.gradientSeconds - then.gradientSeconds) / steps)),
                        ("bucketing_seconds_per_step", .number((now.bucketingSeconds - then.bucketingSeconds) / steps)),
                        ("gradient_buckets", .text(now.lastBucketElements.map(String.init).joined(separator: ","))),
                    ]
                    windowCommunication = now
                }
                fields.append(("time", .text(TrainingLog.timestamp())))
                try log?.append(fields)
                window = LossWindow()
                windowStart = Date()
                windowImages = 0
            }
            if isPrimary, let validation,
               completed == totalSteps || config.validationInterval.map({ completed % $0 == 0 }) == true
            {
                lastValidation = try validate(validation, step: completed)
                var fields: [(String, TrainingLog.Value)] = [
                    ("kind", .text("validation")), ("step", .integer(completed)), ("epoch", .integer(epochOfStep)),
                ]
                fields += lastValidation.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }
                fields.append(("time", .text(TrainingLog.timestamp())))
                try log?.append(fields)
            }
            // Every rank writes its share of sharded modules; otherwise rank 0 alone writes.
            if isPrimary || shards != nil, completed % config.checkpointInterval == 0 || completed == totalSteps {
                let (nextEpoch, nextBatch) = completed.quotientAndRemainder(dividingBy: batchesPerEpoch)
                let state = TrainerState(
                    step: completed, epoch: nextEpoch, batchInEpoch: nextBatch, batchesPerEpoch: batchesPerEpoch,
                    sampleCount: loader.sampleCount, loaderSeed: loader.seed, shuffle: loader.shuffle,
                    config: config, modules: modules.keys.sorted(), objectiveSettings: objective.trajectorySettings,
                    randomState: Data(Runtime.randomState.array(of: UInt8.self)), logWindow: window,
                    losses: lastLosses, validation: lastValidation, shardRanks: shards?.ranks)
                lastCheckpoint = try checkpoints.save(modules: modules, optimizers: optimizers, state: state,
                                                      shards: shards)
            } else if completed % config.checkpointInterval == 0 || completed == totalSteps {
                // Rank 0 writes it; the others name it in their messages.
                lastCheckpoint = checkpoints.directory.appendingPathComponent(CheckpointStore.folderName(step: completed))
            }
        }
        progress.finish()

        let seconds = Date().timeIntervalSince(sessionStart)
        return TrainingSummary(
            steps: totalSteps, startStep: startStep, losses: lastLosses, validation: lastValidation,
            // Set: a fresh run checkpoints its last step, a resumed one starts from a checkpoint.
            checkpoint: lastCheckpoint!, seconds: seconds,
            imagesPerSecond: seconds > 0 ? Double(sessionImages) / seconds : 0)
    }

    /// Each loss as a number; throws for a missing `"loss"`, a reserved or non-scalar one, or a non-finite value.
    private func checkedValues(of losses: [String: Tensor], step: Int, lastCheckpoint: URL?) throws
        -> [String: Double]
    {
        guard losses["loss"] != nil else { throw TrainingError.missingLoss(step: step, names: Array(losses.keys)) }
        var values: [String: Double] = [:]
        for (name, tensor) in losses.sorted(by: { $0.key < $1.key }) {
            guard !TrainingLog.reservedKeys.contains(name) else { throw TrainingError.reservedName(name) }
            guard tensor.count == 1 else {
                throw TrainingError.nonScalarLoss(step: step, name: name, shape: tensor.shape)
            }
            values[name] = withoutGrad { tensor.item }
        }
        // The ranks' means: what one process would log, and a non-finite loss on any rank stops every rank.
        if let dataParallel { values = try dataParallel.average(values) }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard value.isFinite else {
                throw TrainingError.nonFiniteLoss(step: step, name: name, value: value,
                                                  lastCheckpoint: lastCheckpoint?.path)
            }
        }
        return values
    }

    /// Adds one update's loss values to the step's: alone, as they are; with several updates, each update's
    /// `"loss"` under the update's name and the step's `"loss"` the last update's. Throws for a name two updates
    /// log.
    private func merge(_ updateValues: [String: Double], of update: TrainingUpdate, into values: inout [String: Double])
        throws
    {
        guard updates.count > 1 else {
            values = updateValues
            return
        }
        for (name, value) in updateValues {
            let key = name == "loss" ? update.name : name
            guard values.updateValue(value, forKey: key) == nil else {
                throw TrainingError.invalidModules("two updates log a value named \"\(key)\"")
            }
        }
        values["loss"] = updateValues["loss"]
    }

    /// Runs `validation` in evaluation mode without gradients, leaving libtorch's generator as it found it so
    /// that validating (or not, after a resume) never changes the training trajectory.
    private func validate(_ validation: (Int) throws -> [String: Double], step: Int) throws -> [String: Double] {
        let randomState = Runtime.randomState
        for module in modules.values { module.eval() }
        defer {
            for module in modules.values { module.train() }
            try? Runtime.setRandomState(randomState)
        }
        let results = try withoutGrad { try validation(step) }
        for name in results.keys where TrainingLog.reservedKeys.contains(name) {
            throw TrainingError.reservedName(name)
        }
        return results
    }

    /// Throws unless the checkpoint was written by a run with this run's trajectory settings, data and modules,
    /// and its sharded modules' shares by as many ranks as this run has.
    private func checkCompatible(_ state: TrainerState, checkpoint: URL) throws {
        if let shards, let saved = state.shardRanks, saved != shards.ranks {
            throw TrainingError.shardedRanksMismatch(
                checkpoint: checkpoint.path, modules: objective.shardedModules.sorted(), checkpointRanks: saved,
                ranks: shards.ranks)
        }
        var differences: [String] = []
        let saved = Dictionary(state.config.trajectorySettings, uniquingKeysWith: { first, _ in first })
        let current = config.trajectorySettings
        for (key, value) in current where saved[key] != value {
            differences.append("with \(key) \(saved[key] ?? "unset") (this run: \(value))")
        }
        for (key, _) in state.config.trajectorySettings where !current.contains(where: { $0.key == key }) {
            differences.append("with \(key) \(saved[key]!) (this run: unset)")
        }
        let savedObjective = state.objectiveSettings ?? [:], currentObjective = objective.trajectorySettings
        for key in Set(savedObjective.keys).union(currentObjective.keys).sorted()
        where savedObjective[key] != currentObjective[key] {
            differences.append(
                "with \(key) \(savedObjective[key] ?? "unset") (this run: \(currentObjective[key] ?? "unset"))")
        }
        let data: [(String, String, String)] = [
            ("samples", "\(state.sampleCount)", "\(loader.sampleCount)"),
            ("batches per epoch", "\(state.batchesPerEpoch)", "\(loader.batchesPerEpoch)"),
            ("loader seed", "\(state.loaderSeed)", "\(loader.seed)"),
            ("shuffling", "\(state.shuffle)", "\(loader.shuffle)"),
            ("modules", state.modules.joined(separator: ", "), modules.keys.sorted().joined(separator: ", ")),
            ("sharded modules", state.shardRanks == nil ? "none" : "some", shards == nil ? "none" : "some"),
        ]
        for (what, then, now) in data where then != now {
            differences.append("with \(what) \(then) (this run: \(now))")
        }
        guard differences.isEmpty else {
            throw TrainingError.resumeMismatch(checkpoint: checkpoint.path, differences: differences)
        }
    }

    /// The objective's sharded modules and the optimizers that step their parameters (which must step no
    /// other), nil without sharded modules; throws for a name that is not a module or a mixed optimizer.
    private static func shards(of objective: any TrainingObjective, modules: [String: Module],
                               optimizers: [String: any Optimizer], group: ProcessGroup?) throws -> CheckpointStore.Shards? {
        let sharded = objective.shardedModules
        guard !sharded.isEmpty else { return nil }
        if let unknown = sharded.subtracting(modules.keys).sorted().first {
            throw TrainingError.invalidModules("the sharded module \"\(unknown)\" is not one of the objective's modules")
        }
        let local = Set(modules.filter { sharded.contains($0.key) }.values.flatMap { $0.parameters() }
            .map(ParameterIdentity.init))
        var names = sharded
        for (name, optimizer) in optimizers.sorted(by: { $0.key < $1.key }) {
            let steps = optimizer.parameters.map { local.contains(ParameterIdentity($0)) }
            if steps.allSatisfy({ $0 }) && !steps.isEmpty {
                names.insert(name)
            } else if steps.contains(true) {
                throw TrainingError.invalidModules("the optimizer \"\(name)\" steps parameters of the sharded "
                    + "modules (\(sharded.sorted().joined(separator: ", "))) and others: give the sharded ones an "
                    + "optimizer of their own")
            }
        }
        return CheckpointStore.Shards(names: names, group: group)
    }

    /// Restores libtorch's generator from a checkpoint's saved state.
    private func restoreRandomState(_ bytes: Data, checkpoint: URL) throws {
        do {
            let state = try bytes.withUnsafeBytes { try Tensor(bytes: $0, shape: [bytes.count], dtype: .uint8) }
            try Runtime.setRandomState(state)
        } catch {
            throw CheckpointError(path: checkpoint.appendingPathComponent(CheckpointStore.stateFile).path,
                                  "random_state does not restore libtorch's generator: \(error)")
        }
    }
}
