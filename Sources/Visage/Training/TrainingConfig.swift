import Foundation

/// Everything that decides a training run: its length, batch size, SGD settings, learning-rate schedule and
/// how often it logs, validates and checkpoints — the counterpart of an arcface_torch config file.
///
/// Build it in code, or read it from JSON with ``load(from:)`` and override single settings from the command
/// line. The JSON keys are the snake_case names below; absent keys take the initializer's defaults, unknown
/// keys are errors. YAML is not supported.
///
/// ```json
/// {"epochs": 20, "batch_size": 128, "learning_rate": 0.1, "momentum": 0.9, "weight_decay": 5e-4,
///  "schedule": {"kind": "multistep", "milestones": [8, 14, 18], "gamma": 0.1}, "warmup": 1,
///  "checkpoint_interval": 2000, "output_directory": "runs/mobilefacenet"}
/// ```
///
/// Schedule positions — `warmup` and multistep `milestones` — count the same unit as the length: epochs when
/// `epochs` is given, steps when `steps` is. The learning rate itself changes every step. The intervals
/// (checkpoint, validation, log) always count steps.
public struct TrainingConfig: Sendable, Equatable {
    /// How long to train (`"steps"` or `"epochs"`, exactly one).
    public var length: TrainingLength
    /// Samples per step (`"batch_size"`); the loader must use the same.
    public var batchSize: Int
    /// Base SGD learning rate (`"learning_rate"`), scaled by the schedule.
    public var learningRate: Double
    /// SGD momentum (`"momentum"`).
    public var momentum: Double
    /// L2 weight decay (`"weight_decay"`).
    public var weightDecay: Double
    /// Leave biases and normalization/PReLU weights (rank ≤ 1 tensors) undecayed
    /// (`"exempt_norm_and_bias_from_decay"`, see `WeightDecaySplit`). On by default, a departure from
    /// arcface_torch's `train_v2.py`, which decays every parameter; false trains as it does.
    public var exemptNormAndBiasFromDecay: Bool
    /// How the rate falls after the warmup (`"schedule"`).
    public var schedule: LearningRateDecay
    /// Linear warmup length in the length's unit (`"warmup"`); 0 for none.
    public var warmup: Int
    /// Fraction of the base rate the warmup starts from (`"warmup_start_factor"`).
    public var warmupStartFactor: Double
    /// Largest total gradient 2-norm; larger gradients are scaled down (`"gradient_clip_norm"`; nil: no clipping).
    public var gradientClipNorm: Double?
    /// Steps between checkpoints (`"checkpoint_interval"`); the last step is always checkpointed.
    public var checkpointInterval: Int
    /// Checkpoints kept on disk, the newest (`"keep_checkpoints"`).
    public var keptCheckpoints: Int
    /// Steps between validations (`"validation_interval"`; nil: only after the last step).
    public var validationInterval: Int?
    /// Steps between log lines (`"log_interval"`); each line reports the mean losses since the previous one.
    public var logInterval: Int
    /// Seeds libtorch's generator at the start of a fresh run (`"seed"`), for dropout and other random ops.
    /// Seed before building the modules too, so that their initialization is reproducible.
    public var seed: UInt64
    /// Folder of the run's log, configuration copy and checkpoints (`"output_directory"`).
    public var outputDirectory: String

    /// A configuration; the defaults follow arcface_torch (SGD 0.1, momentum 0.9, weight decay 5e-4,
    /// polynomial decay).
    public init(
        length: TrainingLength = .epochs(20), batchSize: Int = 128, learningRate: Double = 0.1,
        momentum: Double = 0.9, weightDecay: Double = 5e-4, exemptNormAndBiasFromDecay: Bool = true,
        schedule: LearningRateDecay = .polynomial(power: 2), warmup: Int = 0, warmupStartFactor: Double = 0,
        gradientClipNorm: Double? = 5, checkpointInterval: Int = 2000, keptCheckpoints: Int = 3,
        validationInterval: Int? = nil, logInterval: Int = 50, seed: UInt64 = 0,
        outputDirectory: String = "runs/train"
    ) {
        self.length = length
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.exemptNormAndBiasFromDecay = exemptNormAndBiasFromDecay
        self.schedule = schedule
        self.warmup = warmup
        self.warmupStartFactor = warmupStartFactor
        self.gradientClipNorm = gradientClipNorm
        self.checkpointInterval = checkpointInterval
        self.keptCheckpoints = keptCheckpoints
        self.validationInterval = validationInterval
        self.logInterval = logInterval
        self.seed = seed
        self.outputDirectory = outputDirectory
    }

    /// The output folder as a URL.
    public var outputURL: URL { URL(fileURLWithPath: outputDirectory, isDirectory: true) }

    /// Throws for the first setting outside its valid range, naming its key and value.
    public func validate() throws(TrainingConfigError) {
        func check(_ ok: Bool, _ key: String, _ value: Any, _ requirement: String) throws(TrainingConfigError) {
            guard ok else { throw TrainingConfigError(key: key, "\(value) is invalid: must be \(requirement)") }
        }
        let (lengthKey, lengthValue) = switch length {
        case .steps(let steps): ("steps", steps)
        case .epochs(let epochs): ("epochs", epochs)
        }
        // The bound keeps step arithmetic (epochs × batches per epoch) far from overflow.
        try check(lengthValue > 0 && lengthValue <= 1_000_000_000, lengthKey, lengthValue, "in 1…1,000,000,000")
        try check(batchSize > 0, "batch_size", batchSize, "> 0")
        try check(learningRate >= 0 && learningRate.isFinite, "learning_rate", learningRate, "finite and >= 0")
        try check(momentum >= 0 && momentum < 1, "momentum", momentum, "in [0, 1)")
        try check(weightDecay >= 0 && weightDecay.isFinite, "weight_decay", weightDecay, "finite and >= 0")
        try check(warmup >= 0 && warmup < lengthValue, "warmup", warmup, "in [0, \(lengthKey)) = [0, \(lengthValue))")
        try check((0...1).contains(warmupStartFactor), "warmup_start_factor", warmupStartFactor, "in [0, 1]")
        switch schedule {
        case .constant:
            break
        case .multiStep(let milestones, let gamma):
            for milestone in milestones {
                try check(milestone > warmup && milestone < lengthValue, "schedule.milestones", milestone,
                          "after the warmup (\(warmup)) and before the end (\(lengthKey) \(lengthValue))")
            }
            try check(gamma > 0 && gamma.isFinite, "schedule.gamma", gamma, "finite and > 0")
        case .cosine(let minimum):
            try check(minimum >= 0 && minimum <= learningRate, "schedule.minimum_learning_rate", minimum,
                      "in [0, learning_rate] = [0, \(learningRate)]")
        case .polynomial(let power):
            try check(power > 0 && power.isFinite, "schedule.power", power, "finite and > 0")
        }
        if let gradientClipNorm {
            try check(gradientClipNorm > 0 && gradientClipNorm.isFinite, "gradient_clip_norm", gradientClipNorm,
                      "finite and > 0 (leave it out for no clipping)")
        }
        try check(checkpointInterval > 0, "checkpoint_interval", checkpointInterval, "> 0")
        try check(keptCheckpoints > 0, "keep_checkpoints", keptCheckpoints, "> 0")
        if let validationInterval {
            try check(validationInterval > 0, "validation_interval", validationInterval,
                      "> 0 (leave it out to validate only at the end)")
        }
        try check(logInterval > 0, "log_interval", logInterval, "> 0")
        try check(!outputDirectory.isEmpty, "output_directory", "\"\"", "a folder path")
    }

    /// The settings that decide the trained weights, by key, for comparing a resumed run with its checkpoint.
    ///
    /// Everything but the output folder and the checkpoint, validation and log intervals: those may change
    /// when a run is resumed.
    var trajectorySettings: [(key: String, value: String)] {
        let lengthSetting = switch length {
        case .steps(let steps): ("steps", "\(steps)")
        case .epochs(let epochs): ("epochs", "\(epochs)")
        }
        return [
            lengthSetting, ("batch_size", "\(batchSize)"), ("learning_rate", "\(learningRate)"),
            ("momentum", "\(momentum)"), ("weight_decay", "\(weightDecay)"),
            ("exempt_norm_and_bias_from_decay", "\(exemptNormAndBiasFromDecay)"),
            ("schedule", "\(schedule)"), ("warmup", "\(warmup)"), ("warmup_start_factor", "\(warmupStartFactor)"),
            ("gradient_clip_norm", gradientClipNorm.map { "\($0)" } ?? "none"), ("seed", "\(seed)"),
        ]
    }
}
