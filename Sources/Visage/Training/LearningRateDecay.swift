import Torch

/// How the learning rate falls over a run after its warmup; the schedules themselves are Torch's
/// (`MultiStepSchedule`, `CosineAnnealingSchedule`, `PolynomialDecaySchedule`).
///
/// In a ``TrainingConfig`` file it is the `"schedule"` object, named by `"kind"`:
/// `{"kind": "multistep", "milestones": [10, 16], "gamma": 0.1}`, `{"kind": "cosine", "minimum_learning_rate": 0}`,
/// `{"kind": "polynomial", "power": 2}` (arcface_torch's default) or `{"kind": "constant"}`.
public enum LearningRateDecay: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// The rate multiplied by `gamma` at each milestone, counted in the run's length unit (steps or epochs)
    /// from the start of the run (warmup included).
    case multiStep(milestones: [Int], gamma: Double)
    /// Cosine annealing from the base rate at the end of the warmup to `minimumLearningRate` at the last step.
    case cosine(minimumLearningRate: Double)
    /// `base · (1 − t)^power`, t going from 0 at the end of the warmup to 1 at the last step.
    case polynomial(power: Double)

    /// The per-step schedule for a run of `totalSteps` steps whose first `warmupSteps` warm up linearly from
    /// `warmupStartFactor · base`; milestones are converted with `stepsPerUnit`. The values must have passed
    /// ``TrainingConfig/validate()``.
    func schedule(
        totalSteps: Int, stepsPerUnit: Int, warmupSteps: Int, warmupStartFactor: Double
    ) throws(OptimizerError) -> any LearningRateSchedule {
        let decaySteps = max(totalSteps - warmupSteps, 1)
        switch self {
        case .constant:
            return try ConstantSchedule().withLinearWarmup(steps: warmupSteps, startFactor: warmupStartFactor)
        case .multiStep(let milestones, let gamma):
            // Milestones count from the start of the run; the schedule after a warmup counts from its end.
            let shifted = milestones.map { $0 * stepsPerUnit - warmupSteps }
            return try MultiStepSchedule(milestones: shifted, gamma: gamma)
                .withLinearWarmup(steps: warmupSteps, startFactor: warmupStartFactor)
        case .cosine(let minimum):
            return try CosineAnnealingSchedule(period: decaySteps, minimumLearningRate: minimum)
                .withLinearWarmup(steps: warmupSteps, startFactor: warmupStartFactor)
        case .polynomial(let power):
            return try PolynomialDecaySchedule(totalSteps: decaySteps, power: power)
                .withLinearWarmup(steps: warmupSteps, startFactor: warmupStartFactor)
        }
    }
}

extension LearningRateDecay: Codable {
    private enum Kind: String, Codable, CaseIterable {
        case constant, multistep, cosine, polynomial
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, milestones, gamma
        case minimumLearningRate = "minimum_learning_rate"
        case power
    }

    /// Reads a `"schedule"` object; keys that do not belong to its kind are refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kindText = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: kindText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "\"\(kindText)\" is not a schedule kind (one of "
                    + Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let allowed: [CodingKeys] = switch kind {
        case .constant: [.kind]
        case .multistep: [.kind, .milestones, .gamma]
        case .cosine: [.kind, .minimumLearningRate]
        case .polynomial: [.kind, .power]
        }
        try ConfigKeys.rejectUnknown(in: decoder, allowed: allowed.map(\.rawValue), context: "a \(kindText) schedule")
        switch kind {
        case .constant:
            self = .constant
        case .multistep:
            guard let milestones = try container.decodeSetting([Int].self, forKey: .milestones) else {
                throw TrainingConfigError(key: ConfigKeys.dotted(decoder.codingPath),
                                          "missing required key \"milestones\" of a multistep schedule")
            }
            self = .multiStep(milestones: milestones,
                              gamma: try container.decodeSetting(Double.self, forKey: .gamma) ?? 0.1)
        case .cosine:
            self = .cosine(minimumLearningRate:
                try container.decodeSetting(Double.self, forKey: .minimumLearningRate) ?? 0)
        case .polynomial:
            self = .polynomial(power: try container.decodeSetting(Double.self, forKey: .power) ?? 2)
        }
    }

    /// Writes the `"schedule"` object with every value of its kind.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant:
            try container.encode(Kind.constant, forKey: .kind)
        case .multiStep(let milestones, let gamma):
            try container.encode(Kind.multistep, forKey: .kind)
            try container.encode(milestones, forKey: .milestones)
            try container.encode(gamma, forKey: .gamma)
        case .cosine(let minimum):
            try container.encode(Kind.cosine, forKey: .kind)
            try container.encode(minimum, forKey: .minimumLearningRate)
        case .polynomial(let power):
            try container.encode(Kind.polynomial, forKey: .kind)
            try container.encode(power, forKey: .power)
        }
    }
}
