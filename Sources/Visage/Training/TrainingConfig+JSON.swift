import Foundation
import Torch

extension TrainingConfig: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, epochs
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case momentum
        case weightDecay = "weight_decay"
        case exemptNormAndBiasFromDecay = "exempt_norm_and_bias_from_decay"
        case schedule, warmup
        case warmupStartFactor = "warmup_start_factor"
        case gradientClipNorm = "gradient_clip_norm"
        case checkpointInterval = "checkpoint_interval"
        case keptCheckpoints = "keep_checkpoints"
        case validationInterval = "validation_interval"
        case logInterval = "log_interval"
        case seed
        case outputDirectory = "output_directory"
    }

    /// Reads a configuration object: absent keys take their defaults, unknown keys and invalid values throw.
    public init(from decoder: any Decoder) throws {
        try ConfigKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue),
                                     context: "a training configuration")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingConfig()
        let steps = try container.decodeSetting(Int.self, forKey: .steps)
        let epochs = try container.decodeSetting(Int.self, forKey: .epochs)
        let length: TrainingLength
        switch (steps, epochs) {
        case (let steps?, nil): length = .steps(steps)
        case (nil, let epochs?): length = .epochs(epochs)
        case (nil, nil): length = defaults.length
        case (.some, .some): throw TrainingConfigError(key: "steps", "give either steps or epochs, not both")
        }
        func value<Value: Decodable>(_ key: CodingKeys, _ fallback: Value) throws -> Value {
            try container.decodeSetting(Value.self, forKey: key) ?? fallback
        }
        self.init(
            length: length,
            batchSize: try value(.batchSize, defaults.batchSize),
            learningRate: try value(.learningRate, defaults.learningRate),
            momentum: try value(.momentum, defaults.momentum),
            weightDecay: try value(.weightDecay, defaults.weightDecay),
            exemptNormAndBiasFromDecay: try value(.exemptNormAndBiasFromDecay, defaults.exemptNormAndBiasFromDecay),
            schedule: try value(.schedule, defaults.schedule),
            warmup: try value(.warmup, defaults.warmup),
            warmupStartFactor: try value(.warmupStartFactor, defaults.warmupStartFactor),
            // An explicit null turns clipping off; an absent key keeps the default.
            gradientClipNorm: container.contains(.gradientClipNorm)
                ? try container.decodeSetting(Double.self, forKey: .gradientClipNorm) : defaults.gradientClipNorm,
            checkpointInterval: try value(.checkpointInterval, defaults.checkpointInterval),
            keptCheckpoints: try value(.keptCheckpoints, defaults.keptCheckpoints),
            validationInterval: try container.decodeSetting(Int.self, forKey: .validationInterval),
            logInterval: try value(.logInterval, defaults.logInterval),
            seed: try value(.seed, defaults.seed),
            outputDirectory: try value(.outputDirectory, defaults.outputDirectory))
        try validate()
    }

    /// Writes every setting (`gradient_clip_norm` and `validation_interval` as null when unset).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch length {
        case .steps(let steps): try container.encode(steps, forKey: .steps)
        case .epochs(let epochs): try container.encode(epochs, forKey: .epochs)
        }
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(momentum, forKey: .momentum)
        try container.encode(weightDecay, forKey: .weightDecay)
        try container.encode(exemptNormAndBiasFromDecay, forKey: .exemptNormAndBiasFromDecay)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(warmup, forKey: .warmup)
        try container.encode(warmupStartFactor, forKey: .warmupStartFactor)
        try container.encode(gradientClipNorm, forKey: .gradientClipNorm)
        try container.encode(checkpointInterval, forKey: .checkpointInterval)
        try container.encode(keptCheckpoints, forKey: .keptCheckpoints)
        try container.encode(validationInterval, forKey: .validationInterval)
        try container.encode(logInterval, forKey: .logInterval)
        try container.encode(seed, forKey: .seed)
        try container.encode(outputDirectory, forKey: .outputDirectory)
    }

    /// Reads a configuration from a JSON file; errors name the file and the bad key and value.
    public static func load(from url: URL) throws(TrainingConfigError) -> TrainingConfig {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TrainingConfigError(file: url.path, key: nil, "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(data, file: url.path)
    }

    /// Reads a configuration from JSON text; `file` names the source in errors.
    public static func decode(_ data: Data, file: String? = nil) throws(TrainingConfigError) -> TrainingConfig {
        try ConfigKeys.decode(TrainingConfig.self, from: data, file: file)
    }

    /// The configuration as pretty-printed JSON with sorted keys.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers, strings and arrays cannot fail.
        return try! encoder.encode(self)
    }

    /// Writes the configuration as JSON to `url`, atomically.
    public func save(to url: URL) throws {
        try AtomicFile.write(jsonData(), to: url)
    }
}
