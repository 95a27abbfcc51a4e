import Torch

/// What a ``Trainer`` trains: the modules that learn, and the descents of one training step.
///
/// Most objectives have one loss descended by one optimizer over every module: they adopt ``LossObjective``,
/// which builds that single update from the ``TrainingConfig``. An objective whose step is several descents,
/// each with its own optimizers — R³AN's discriminator, generator, extractor and joint steps — returns them from
/// ``updates(config:)``. The trainer saves each module and each update's optimizers in every checkpoint and
/// restores them on resume.
public protocol TrainingObjective: AnyObject {
    /// The trained modules by name; the names become checkpoint file names (`NAME.safetensors`), so they must be
    /// non-empty and use only letters, digits, `-`, `_` and `.`.
    var modules: [String: Module] { get }

    /// The descents of one training step, in the order they run, with their optimizers over the parameters of
    /// ``modules``. The trainer calls it once, before training; the optimizers' learning rates are the base
    /// rates the configured schedule scales.
    func updates(config: TrainingConfig) throws -> [TrainingUpdate]

    /// Settings of the objective that decide the trained weights besides the ``TrainingConfig`` (an
    /// architecture, a loss weight), by key: a resumed run must have the same (default: none).
    var trajectorySettings: [String: String] { get }

    /// The modules whose parameters are this rank's own share, different on every rank (``PartialFC``'s class
    /// centers), rather than a copy of every rank's (default: none). With a ``DataParallel`` the trainer neither
    /// broadcasts nor averages them, and each rank checkpoints them, and the optimizers over them (which must
    /// step no other parameter), in its own files; such a run resumes on the same number of ranks only.
    var shardedModules: Set<String> { get }
}

extension TrainingObjective {
    public var trajectorySettings: [String: String] { [:] }
    public var shardedModules: Set<String> { [] }
}
