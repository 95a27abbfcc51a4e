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
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TrainingConfigError(file: file, key: nil, "not valid JSON (\(Self.reason(of: error)))")
        }
        guard tree is [String: Any] else {
            throw TrainingConfigError(file: file, key: nil, "expected a JSON object of settings")
        }
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch var error as TrainingConfigError {
            error.file = file
            throw error
        } catch let error as DecodingError {
            throw describe(error, tree: tree, file: file)
        } catch {
            throw TrainingConfigError(file: file, key: nil, "\(error)")
        }
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

    /// A decoding error as a message naming the key and quoting the value found there.
    private static func describe(_ error: DecodingError, tree: Any, file: String?) -> TrainingConfigError {
        let (context, problem): (DecodingError.Context, String) = switch error {
        case .typeMismatch(let type, let context): (context, "expected \(typeName(type))")
        case .valueNotFound(let type, let context): (context, "expected \(typeName(type))")
        case .keyNotFound(let key, let context): (context, "missing required key \"\(key.stringValue)\"")
        case .dataCorrupted(let context): (context, context.debugDescription)
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "\(error)")
        }
        let path = context.codingPath
        let key = ConfigKeys.dotted(path)
        if case .keyNotFound = error { return TrainingConfigError(file: file, key: key, problem) }
        if let found = value(at: path, in: tree) {
            return TrainingConfigError(file: file, key: key, "\(found) is invalid: \(problem)")
        }
        return TrainingConfigError(file: file, key: key, problem)
    }

    /// The JSON text of the value at `path` in `tree`, nil where there is none.
    private static func value(at path: [any CodingKey], in tree: Any) -> String? {
        var node: Any = tree
        for key in path {
            if let index = key.intValue, let array = node as? [Any], array.indices.contains(index) {
                node = array[index]
            } else if let object = node as? [String: Any], let child = object[key.stringValue] {
                node = child
            } else {
                return nil
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type, is [Int].Type: type == [Int].self ? "a list of integers" : "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }

    private static func reason(of error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
    }
}
