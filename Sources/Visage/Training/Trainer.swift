import Foundation
import Torch

/// Trains a ``TrainingObjective`` with SGD, as arcface_torch's train loop does: per step the scheduled learning
/// rate, the losses of one batch, a finiteness check, backward, gradient clipping and the update; a JSON-lines
/// log, a progress bar, periodic validation and atomic checkpoints from which a killed run resumes exactly.
///
/// ```swift
/// Runtime.seed(config.seed)                 // before building the modules, for a reproducible initialization
/// let objective = Classification(backbone: …, head: …)
/// let loader = try BatchLoader(source: faces, batchSize: config.batchSize, shuffle: true, dropLast: true,
///                              seed: config.seed)
/// let summary = try Trainer(objective: objective, loader: loader, config: config).run(resume: false)
/// ```
///
/// **Resuming.** `run(resume: true)` loads the newest checkpoint of the output folder — modules, optimizer
/// momentum, step, libtorch's generator state, the log window — and continues with the same batch of the same
/// epoch, the same learning rate and the same dropout masks, so the weights after N steps, a kill and a resume
/// are bit for bit those of an uninterrupted run. The checkpoint must come from a run with the same
/// trajectory settings (see ``TrainingError/resumeMismatch(checkpoint:differences:)``) and the same data.
///
/// **Failures.** A NaN or infinite loss stops the run before its backward pass, and (with clipping on) a NaN or
/// infinite gradient norm before the update, so the weights in memory and every checkpoint are from before the
/// bad step (``TrainingError/nonFiniteLoss(step:name:value:lastCheckpoint:)``,
/// ``TrainingError/nonFiniteGradient(step:norm:lastCheckpoint:)``).
public final class Trainer {
    /// What is trained.
    public let objective: any TrainingObjective
    /// The training batches.
    public let loader: BatchLoader
    /// The run's settings.
    public let config: TrainingConfig
    /// Called with the completed step count every `validation_interval` steps and after the last step, with the
    /// modules in evaluation mode and gradients off; its results are logged.
    public let validation: ((Int) throws -> [String: Double])?
    /// Whether ``run(resume:)`` draws a progress bar on standard error.
    public var showsProgress = true

    /// The optimizer over every parameter of the objective's modules (module name + "." + parameter name).
    public let optimizer: SGD
    /// Steps in the whole run.
    public let totalSteps: Int
    /// The per-step learning-rate schedule built from the configuration.
    public let schedule: any LearningRateSchedule
    /// Where checkpoints go: `checkpoints/` in the output folder.
    public let checkpoints: CheckpointStore

    private let modules: [String: Module]

    /// A trainer; throws for an invalid configuration, a loader whose batch size differs from it, or module
    /// names that cannot be file names.
    public init(
        objective: any TrainingObjective, loader: BatchLoader, config: TrainingConfig,
        validation: ((Int) throws -> [String: Double])? = nil
    ) throws {
        try config.validate()
        guard loader.batchSize == config.batchSize else {
            throw TrainingError.batchSizeMismatch(loader: loader.batchSize, config: config.batchSize)
        }
        guard loader.batchesPerEpoch > 0 else {
            throw TrainingError.noBatches(samples: loader.source.count, batchSize: loader.batchSize)
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
        self.modules = modules

        let named = modules.sorted { $0.key < $1.key }.flatMap { name, module in
            module.namedParameters().map { (name: name + "." + $0.0, tensor: $0.1) }
        }
        let settings = SGD.Hyperparameters(
            learningRate: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay)
        optimizer = try SGD(groups: config.exemptNormAndBiasFromDecay
            ? WeightDecaySplit(named).groups(settings) : [ParameterGroup(named, settings)])

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
        let lock = try RunFolderLock(output)
        defer { withExtendedLifetime(lock) {} }
        let batchesPerEpoch = loader.batchesPerEpoch

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
            try checkpoints.restore(latest, modules: modules, optimizer: optimizer)
            try restoreRandomState(state.randomState, checkpoint: latest)
            startStep = state.step
            window = state.logWindow
            lastLosses = state.losses
            lastValidation = state.validation
            lastCheckpoint = latest
        } else {
            guard checkpoints.latest == nil, checkpoints.checkpoints.isEmpty else {
                throw TrainingError.existingRun(directory: output.path)
            }
            Runtime.seed(config.seed)
        }
        try config.save(to: output.appendingPathComponent("config.json"))
        let log = try TrainingLog(url: output.appendingPathComponent("log.jsonl"),
                                  keepingThrough: resume ? startStep : nil)

        for module in modules.values { module.train() }
        let progress = ProgressBar("train", total: totalSteps - startStep, unit: "step", enabled: showsProgress)
        let sessionStart = Date()
        var windowStart = Date()
        var windowImages = 0
        var sessionImages = 0
        var epoch: BatchLoader.Epoch?
        var epochIndex = -1

        for step in startStep..<totalSteps {
            let (epochOfStep, batchIndex) = step.quotientAndRemainder(dividingBy: batchesPerEpoch)
            if epochOfStep != epochIndex {
                epoch = loader.epoch(epochOfStep, startingAt: batchIndex)
                epochIndex = epochOfStep
            }
            guard let batch = try epoch?.next() else {
                throw TrainingError.loaderEnded(epoch: epochOfStep, batch: batchIndex)
            }

            schedule.apply(to: optimizer, at: step)
            let learningRate = schedule.learningRate(at: step, base: config.learningRate)
            optimizer.zeroGrad()
            let losses = try objective.losses(on: batch, step: step)
            let values = try checkedValues(of: losses, step: step, lastCheckpoint: lastCheckpoint)
            losses["loss"]!.backward()
            if let maxNorm = config.gradientClipNorm {
                let norm = clipGradNorm(optimizer.parameters, maxNorm: maxNorm)
                guard norm.isFinite else {
                    throw TrainingError.nonFiniteGradient(step: step, norm: norm, lastCheckpoint: lastCheckpoint?.path)
                }
            }
            optimizer.step()

            let completed = step + 1
            let samples = batch.indices.count
            window.add(values, samples: samples)
            windowImages += samples
            sessionImages += samples
            progress.status = String(format: "loss %.4f lr %.4g", values["loss"]!, learningRate)
            progress.advance()

            if completed % config.logInterval == 0 || completed == totalSteps {
                let seconds = Date().timeIntervalSince(windowStart)
                lastLosses = window.means
                var fields: [(String, TrainingLog.Value)] = [
                    ("kind", .text("train")), ("step", .integer(completed)), ("epoch", .integer(epochOfStep)),
                    ("lr", .number(learningRate)),
                ]
                // "loss" first, then the others by name.
                fields += lastLosses.sorted { ($0.key == "loss" ? "" : $0.key) < ($1.key == "loss" ? "" : $1.key) }
                    .map { ($0.key, .number($0.value)) }
                fields += [
                    ("images_per_second", .number(seconds > 0 ? Double(windowImages) / seconds : 0)),
                    ("time", .text(TrainingLog.timestamp())),
                ]
                try log.append(fields)
                window = LossWindow()
                windowStart = Date()
                windowImages = 0
            }
            if let validation,
               completed == totalSteps || config.validationInterval.map({ completed % $0 == 0 }) == true
            {
                lastValidation = try validate(validation, step: completed)
                var fields: [(String, TrainingLog.Value)] = [
                    ("kind", .text("validation")), ("step", .integer(completed)), ("epoch", .integer(epochOfStep)),
                ]
                fields += lastValidation.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }
                fields.append(("time", .text(TrainingLog.timestamp())))
                try log.append(fields)
            }
            if completed % config.checkpointInterval == 0 || completed == totalSteps {
                let (nextEpoch, nextBatch) = completed.quotientAndRemainder(dividingBy: batchesPerEpoch)
                let state = TrainerState(
                    step: completed, epoch: nextEpoch, batchInEpoch: nextBatch, batchesPerEpoch: batchesPerEpoch,
                    sampleCount: loader.source.count, loaderSeed: loader.seed, shuffle: loader.shuffle,
                    config: config, modules: modules.keys.sorted(),
                    randomState: Data(Runtime.randomState.array(of: UInt8.self)), logWindow: window,
                    losses: lastLosses, validation: lastValidation)
                lastCheckpoint = try checkpoints.save(modules: modules, optimizer: optimizer, state: state)
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
            let value = withoutGrad { tensor.item }
            guard value.isFinite else {
                throw TrainingError.nonFiniteLoss(step: step, name: name, value: value,
                                                  lastCheckpoint: lastCheckpoint?.path)
            }
            values[name] = value
        }
        return values
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

    /// Throws unless the checkpoint was written by a run with this run's trajectory settings, data and modules.
    private func checkCompatible(_ state: TrainerState, checkpoint: URL) throws {
        var differences: [String] = []
        let saved = Dictionary(state.config.trajectorySettings, uniquingKeysWith: { first, _ in first })
        let current = config.trajectorySettings
        for (key, value) in current where saved[key] != value {
            differences.append("with \(key) \(saved[key] ?? "unset") (this run: \(value))")
        }
        for (key, _) in state.config.trajectorySettings where !current.contains(where: { $0.key == key }) {
            differences.append("with \(key) \(saved[key]!) (this run: unset)")
        }
        let data: [(String, String, String)] = [
            ("samples", "\(state.sampleCount)", "\(loader.source.count)"),
            ("batches per epoch", "\(state.batchesPerEpoch)", "\(loader.batchesPerEpoch)"),
            ("loader seed", "\(state.loaderSeed)", "\(loader.seed)"),
            ("shuffling", "\(state.shuffle)", "\(loader.shuffle)"),
            ("modules", state.modules.joined(separator: ", "), modules.keys.sorted().joined(separator: ", ")),
        ]
        for (what, then, now) in data where then != now {
            differences.append("with \(what) \(then) (this run: \(now))")
        }
        guard differences.isEmpty else {
            throw TrainingError.resumeMismatch(checkpoint: checkpoint.path, differences: differences)
        }
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
