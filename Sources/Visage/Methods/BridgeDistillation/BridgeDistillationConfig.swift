import Foundation

/// Everything that decides a bridge-distillation experiment: which students (resolutions × supervisions), the
/// loss settings of both steps, how the low-resolution copies are degraded, and the four training stages.
///
/// JSON keys are the snake_case names below; absent keys take the defaults, unknown keys are errors. Each
/// stage is a ``TrainingConfig`` object whose `output_directory` is ignored (the run places every stage in its
/// own folder). The defaults are sized for the 2-core development machine and LFW's ~9,500 DevTrain images.
///
/// ```json
/// {"resolutions": [16, 32], "supervisions": ["c", "dc", "sc"], "temperature": 4, "distillation_weight": 1,
///  "degradation": {"landmarkJitter": 2, "blurSigma": [0, 1.5], ...},
///  "fine_tuning": {"epochs": 8, "batch_size": 256, "learning_rate": 0.01}}
/// ```
///
/// **Degraded copies.** Eq. 5–6 sum over a set `D(I)` of degraded copies of each image (the paper perturbs
/// the landmarks 16 times). Here `degraded_copies` copies of every training image are made once per resolution
/// (``DegradedCopies``) and shared by the pretraining and every supervision's fine-tuning; an epoch passes
/// over all copies.
public struct BridgeDistillationConfig: Sendable, Equatable, Codable {
    /// Student input sides p (the paper: 96, 64, 32, 16); one student per resolution and supervision.
    public var resolutions: [Int]
    /// Supervisions to train at every resolution (see ``DistillationSupervision``).
    public var supervisions: [DistillationSupervision]
    /// T of Eq. 3, softening the fine-tuned teacher softmax.
    public var temperature: Double
    /// λ of Eq. 1, the weight of the distillation term.
    public var distillationWeight: Double
    /// Weight of the feature regression R in Eq. 4 (1 in the paper). The default, 0.05, keeps the regression
    /// from overwhelming the classification term at `regressionTargetNorm` 15: with weight 1 and targets at
    /// norm 4 the fine-tuning classification loss on LFW DevTrain collapsed to near-uniform
    /// (docs/bridge-distillation.md).
    public var regressionWeight: Double
    /// L2 norm every teacher feature is scaled to before the teacher softmax and the adaptation module (each
    /// teacher of an ensemble separately), so that one learning rate fits any engine; the paper's teachers
    /// feed their raw features.
    public var teacherFeatureNorm: Double
    /// L2 norm every regression target (adapted or raw teacher feature) is scaled to, so that dc and sc
    /// regress targets of one scale; the paper regresses unscaled features. The default, 15, is about the
    /// norm of a classification-pretrained student's embeddings, so regression does not rescale them.
    public var regressionTargetNorm: Double
    /// Width of the adaptation module's first layer (512 in the paper).
    public var hiddenSize: Int
    /// Dimension of the adapted features and of the student's embedding (128 in the paper).
    public var adaptedSize: Int
    /// How each training image is degraded per epoch; `resolutions` is replaced by the student's p and
    /// `upsampleBack` is forced off (the student takes p×p inputs).
    public var degradation: Degradation
    /// Fine-tuning the teacher's softmax on the teacher features.
    public var teacherSoftmax: TrainingConfig
    /// Training the adaptation module (Eq. 1).
    public var adaptation: TrainingConfig
    /// Degraded copies of each training image per resolution (`D(I)`, 16 in the paper).
    public var degradedCopies: Int
    /// Pretraining the student with classification on the degraded faces (shared by every supervision of a
    /// resolution).
    public var pretraining: TrainingConfig
    /// Fine-tuning the student under its supervision (Eq. 4).
    public var fineTuning: TrainingConfig
    /// The views of each training face the teacher embeds and the students train on: the face alone by default,
    /// or with its mirror and crops (`bridge_set`: `flips`, `crops`, `crop_scale`, `seed`).
    public var bridgeSet: BridgeSet

    /// The default experiment: students at 16 and 32 with supervisions c, dc and sc.
    public init(
        resolutions: [Int] = [16, 32],
        supervisions: [DistillationSupervision] = [.classOnly, .directDistillation, .bridge],
        temperature: Double = 4, distillationWeight: Double = 1, regressionWeight: Double = 0.05,
        teacherFeatureNorm: Double = 16, regressionTargetNorm: Double = 15, hiddenSize: Int = 512, adaptedSize: Int = 128,
        degradation: Degradation = Self.defaultDegradation, degradedCopies: Int = 4,
        teacherSoftmax: TrainingConfig = Self.featureStage(epochs: 40),
        adaptation: TrainingConfig = Self.featureStage(epochs: 40),
        pretraining: TrainingConfig = Self.imageStage(epochs: 8, learningRate: 0.1),
        fineTuning: TrainingConfig = Self.imageStage(epochs: 8, learningRate: 0.01),
        bridgeSet: BridgeSet = BridgeSet()
    ) {
        self.resolutions = resolutions
        self.supervisions = supervisions
        self.temperature = temperature
        self.distillationWeight = distillationWeight
        self.regressionWeight = regressionWeight
        self.teacherFeatureNorm = teacherFeatureNorm
        self.regressionTargetNorm = regressionTargetNorm
        self.hiddenSize = hiddenSize
        self.adaptedSize = adaptedSize
        self.degradation = degradation
        self.degradedCopies = degradedCopies
        self.teacherSoftmax = teacherSoftmax
        self.adaptation = adaptation
        self.pretraining = pretraining
        self.fineTuning = fineTuning
        self.bridgeSet = bridgeSet
    }

    /// Landmark jitter of 2 template pixels, area downsampling, noise σ ∈ [0, 3].
    public static let defaultDegradation = try! Degradation(
        resolutions: [16], filter: .area, noiseSigma: 0...3, upsampleBack: false, landmarkJitter: 2)

    /// A stage over teacher features: batch 256, SGD 1.0 with momentum 0.9, cosine decay.
    public static func featureStage(epochs: Int) -> TrainingConfig {
        TrainingConfig(length: .epochs(epochs), batchSize: 256, learningRate: 1, weightDecay: 5e-4,
                       schedule: .cosine(minimumLearningRate: 0), checkpointInterval: 1000, logInterval: 20)
    }

    /// A stage over degraded images: batch 256 (the paper's), cosine decay from `learningRate`.
    public static func imageStage(epochs: Int, learningRate: Double) -> TrainingConfig {
        TrainingConfig(length: .epochs(epochs), batchSize: 256, learningRate: learningRate, weightDecay: 5e-4,
                       schedule: .cosine(minimumLearningRate: 0), checkpointInterval: 100, logInterval: 10)
    }

    /// The training degradation of a student at side `resolution`.
    public func degradation(forResolution resolution: Int) -> Degradation {
        var result = degradation
        result.resolutions = [resolution]
        result.upsampleBack = false
        return result
    }

    /// Throws for the first invalid setting, naming its key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ message: String) throws {
            guard ok else { throw TrainingConfigError(key: key, message) }
        }
        try check(!resolutions.isEmpty && resolutions.allSatisfy { (16...1024).contains($0) }, "resolutions",
                  "\(resolutions) is invalid: give at least one side, each in 16…1024 (the student pools 3 times)")
        try check(!supervisions.isEmpty, "supervisions", "give at least one of c, s, dc, sc")
        try check(temperature > 0 && temperature.isFinite, "temperature", "\(temperature) is invalid: must be > 0")
        try check(distillationWeight >= 0 && distillationWeight.isFinite, "distillation_weight",
                  "\(distillationWeight) is invalid: must be finite and ≥ 0")
        try check(regressionWeight >= 0 && regressionWeight.isFinite, "regression_weight",
                  "\(regressionWeight) is invalid: must be finite and ≥ 0")
        try check(teacherFeatureNorm > 0 && teacherFeatureNorm.isFinite, "teacher_feature_norm",
                  "\(teacherFeatureNorm) is invalid: must be finite and > 0")
        try check(regressionTargetNorm > 0 && regressionTargetNorm.isFinite, "regression_target_norm",
                  "\(regressionTargetNorm) is invalid: must be finite and > 0")
        try check(degradedCopies > 0, "degraded_copies", "\(degradedCopies) is invalid: must be > 0")
        try check(hiddenSize > 0, "hidden_size", "\(hiddenSize) is invalid: must be > 0")
        try check(adaptedSize > 0, "adapted_size", "\(adaptedSize) is invalid: must be > 0")
        try bridgeSet.validate()
        for (key, stage) in [("teacher_softmax", teacherSoftmax), ("adaptation", adaptation),
                             ("pretraining", pretraining), ("fine_tuning", fineTuning)] {
            do { try stage.validate() } catch {
                throw TrainingConfigError(key: key + "." + (error.key ?? ""), error.message)
            }
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case resolutions, supervisions, temperature
        case distillationWeight = "distillation_weight"
        case regressionWeight = "regression_weight"
        case teacherFeatureNorm = "teacher_feature_norm"
        case regressionTargetNorm = "regression_target_norm"
        case hiddenSize = "hidden_size"
        case adaptedSize = "adapted_size"
        case degradation
        case degradedCopies = "degraded_copies"
        case teacherSoftmax = "teacher_softmax"
        case adaptation, pretraining
        case fineTuning = "fine_tuning"
        case bridgeSet = "bridge_set"
    }

    /// Reads a configuration: absent keys take the defaults, unknown keys and invalid values throw.
    public init(from decoder: any Decoder) throws {
        try ConfigKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue),
                                     context: "a bridge-distillation configuration")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BridgeDistillationConfig()
        func value<Value: Decodable>(_ key: CodingKeys, _ fallback: Value) throws -> Value {
            try container.decodeSetting(Value.self, forKey: key) ?? fallback
        }
        self.init(
            resolutions: try value(.resolutions, defaults.resolutions),
            supervisions: try value(.supervisions, defaults.supervisions),
            temperature: try value(.temperature, defaults.temperature),
            distillationWeight: try value(.distillationWeight, defaults.distillationWeight),
            regressionWeight: try value(.regressionWeight, defaults.regressionWeight),
            teacherFeatureNorm: try value(.teacherFeatureNorm, defaults.teacherFeatureNorm),
            regressionTargetNorm: try value(.regressionTargetNorm, defaults.regressionTargetNorm),
            hiddenSize: try value(.hiddenSize, defaults.hiddenSize),
            adaptedSize: try value(.adaptedSize, defaults.adaptedSize),
            degradation: try value(.degradation, defaults.degradation),
            degradedCopies: try value(.degradedCopies, defaults.degradedCopies),
            teacherSoftmax: try value(.teacherSoftmax, defaults.teacherSoftmax),
            adaptation: try value(.adaptation, defaults.adaptation),
            pretraining: try value(.pretraining, defaults.pretraining),
            fineTuning: try value(.fineTuning, defaults.fineTuning),
            bridgeSet: try value(.bridgeSet, defaults.bridgeSet))
        try validate()
    }

    /// Reads the JSON file at `url`.
    public static func load(from url: URL) throws -> BridgeDistillationConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError(url, "cannot read the configuration: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(Self.self, from: data) } catch {
            throw DataFileError(url, "\(error)")
        }
    }

    /// Writes the configuration as pretty-printed JSON to `url`, atomically.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
