import Foundation

/// The recipe as JSON, read strictly: absent keys take their defaults (the embedding and input size the
/// architecture's), unknown keys and invalid values are errors naming the key.
///
/// ```json
/// {"architecture": "bridge-student", "embedding_size": 128, "input_size": 16,
///  "loss": "arcface", "scale": 32, "margin": 0.3,
///  "augmentation": {"flip_probability": 0.5, "crop_scale": [0.9, 1], "brightness": 0.2},
///  "hard_view": {"resolutions": [16, 24], "illumination": 0.3, "landmark_jitter": 2},
///  "distillation": {"positive_weight": 0.1, "negative_weight": 0.02, "order_weight": 0.5},
///  "identity_group_size": 4, "partial_fc": {"sample_rate": 0.1}}
/// ```
///
/// `scale` and `margin` default to the loss's (``MarginKind/init(_:scale:margin:)``); `hard_view` also takes
/// `filter`, `blur_sigma`, `noise_sigma`, `jpeg_quality` and `upsample_back`, and `distillation` `bins` and
/// `kernel_width` (see ``Degradation`` and ``DistributionDistillationLoss``); `null` or absence leaves the hard
/// view, the distillation or Partial FC out (`partial_fc`'s `sample_rate` defaults to 1).
extension FaceRecognitionRecipe: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case architecture
        case embeddingSize = "embedding_size"
        case inputSize = "input_size"
        case loss, scale, margin, augmentation
        case hardView = "hard_view"
        case distillation
        case identityGroupSize = "identity_group_size"
        case initialModel = "initial_model"
        case partialFC = "partial_fc"
    }

    enum PartialFCKeys: String, CodingKey, CaseIterable {
        case sampleRate = "sample_rate"
    }

    enum AugmentationKeys: String, CodingKey, CaseIterable {
        case flipProbability = "flip_probability"
        case cropScale = "crop_scale"
        case brightness, contrast, gamma
    }

    enum HardViewKeys: String, CodingKey, CaseIterable {
        case resolutions, filter
        case blurSigma = "blur_sigma"
        case noiseSigma = "noise_sigma"
        case jpegQuality = "jpeg_quality"
        case illumination
        case upsampleBack = "upsample_back"
        case landmarkJitter = "landmark_jitter"
    }

    enum DistillationKeys: String, CodingKey, CaseIterable {
        case bins
        case kernelWidth = "kernel_width"
        case positiveWeight = "positive_weight"
        case negativeWeight = "negative_weight"
        case orderWeight = "order_weight"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue), context: "a recipe")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func key(_ key: CodingKeys) -> String? { ConfigKeys.dotted(container.codingPath + [key]) }
        let architecture = try container.decodeSetting(String.self, forKey: .architecture).map { name in
            do { return try BackboneArchitecture(parsing: name) } catch {
                throw TrainingConfigError(key: key(.architecture), "\(error)")
            }
        } ?? .mobileFaceNet
        let lossName = try container.decodeSetting(String.self, forKey: .loss).map { name in
            guard let kind = MarginKind.Name(rawValue: name.lowercased()) else {
                throw TrainingConfigError(key: key(.loss), "unknown loss \"\(name)\"; expected one of: "
                    + MarginKind.Name.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return kind
        } ?? .arcface
        let margin: MarginKind
        do {
            margin = try MarginKind(lossName, scale: container.decodeSetting(Double.self, forKey: .scale),
                                    margin: container.decodeSetting(Double.self, forKey: .margin))
        } catch let error as TrainingConfigError {
            throw TrainingConfigError(key: ConfigKeys.dotted(container.codingPath + [ConfigKeys.Key(stringValue: error.key ?? "")]),
                                      error.message)
        }
        self.init(architecture: architecture,
                  embeddingSize: try container.decodeSetting(Int.self, forKey: .embeddingSize),
                  inputSize: try container.decodeSetting(Int.self, forKey: .inputSize), margin: margin,
                  augmentation: try Self.augmentation(in: container),
                  hardView: try Self.hardView(in: container), distillation: try Self.distillation(in: container),
                  identityGroupSize: try container.decodeSetting(Int.self, forKey: .identityGroupSize),
                  partialFCSampleRate: try Self.object(.partialFC, in: container, keys: PartialFCKeys.self,
                                                       context: "Partial FC")
                      .map { try $0.decodeSetting(Double.self, forKey: .sampleRate) ?? 1 })
        initialModel = try container.decodeSetting(String.self, forKey: .initialModel)
        do { try validate() } catch {
            throw TrainingConfigError(key: ConfigKeys.dotted(container.codingPath), "\(error)")
        }
    }

    /// The object under `key` as a strict keyed container, nil when it is absent or null.
    private static func object<Keys: CodingKey & CaseIterable & RawRepresentable<String>>(
        _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>, keys: Keys.Type, context: String
    ) throws -> KeyedDecodingContainer<Keys>? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        let decoder = try container.superDecoder(forKey: key)
        try ConfigKeys.rejectUnknown(in: decoder, allowed: Keys.allCases.map(\.rawValue), context: context)
        return try decoder.container(keyedBy: Keys.self)
    }

    private static func augmentation(in container: KeyedDecodingContainer<CodingKeys>) throws -> Augmentation {
        let defaults = Augmentation.standard
        guard let object = try object(.augmentation, in: container, keys: AugmentationKeys.self,
                                      context: "the augmentation") else { return defaults }
        let result = Augmentation(
            flipProbability: try object.decodeSetting(Double.self, forKey: .flipProbability) ?? defaults.flipProbability,
            cropScale: try object.decodeSetting(ClosedRange<Double>.self, forKey: .cropScale) ?? defaults.cropScale,
            brightness: try object.decodeSetting(Double.self, forKey: .brightness) ?? defaults.brightness,
            contrast: try object.decodeSetting(Double.self, forKey: .contrast) ?? defaults.contrast,
            gamma: try object.decodeSetting(Double.self, forKey: .gamma) ?? defaults.gamma)
        let checks: [(AugmentationKeys, Bool, String)] = [
            (.flipProbability, (0...1).contains(result.flipProbability), "in [0, 1]"),
            (.cropScale, result.cropScale.lowerBound > 0 && result.cropScale.upperBound <= 1, "within (0, 1]"),
            (.brightness, result.brightness >= 0 && result.brightness.isFinite, "finite and >= 0"),
            (.contrast, result.contrast >= 0 && result.contrast.isFinite, "finite and >= 0"),
            (.gamma, result.gamma >= 0 && result.gamma.isFinite, "finite and >= 0"),
        ]
        for (key, ok, requirement) in checks where !ok {
            throw TrainingConfigError(key: ConfigKeys.dotted(object.codingPath + [key]), "must be \(requirement)")
        }
        return result
    }

    private static func hardView(in container: KeyedDecodingContainer<CodingKeys>) throws -> Degradation? {
        guard let object = try object(.hardView, in: container, keys: HardViewKeys.self, context: "the hard view")
        else { return nil }
        let defaults = try Degradation()
        do {
            return try Degradation(
                resolutions: try object.decodeSetting([Int].self, forKey: .resolutions) ?? defaults.resolutions,
                filter: try object.decodeSetting(ResamplingFilter.self, forKey: .filter) ?? defaults.filter,
                blurSigma: try object.decodeSetting(ClosedRange<Double>.self, forKey: .blurSigma) ?? defaults.blurSigma,
                noiseSigma: try object.decodeSetting(ClosedRange<Double>.self, forKey: .noiseSigma) ?? defaults.noiseSigma,
                jpegQuality: try object.decodeSetting(ClosedRange<Int>.self, forKey: .jpegQuality),
                illumination: try object.decodeSetting(Double.self, forKey: .illumination) ?? defaults.illumination,
                upsampleBack: try object.decodeSetting(Bool.self, forKey: .upsampleBack) ?? defaults.upsampleBack,
                landmarkJitter: try object.decodeSetting(Double.self, forKey: .landmarkJitter) ?? defaults.landmarkJitter)
        } catch let error as DataError {
            throw TrainingConfigError(key: ConfigKeys.dotted(object.codingPath), "\(error)")
        }
    }

    private static func distillation(in container: KeyedDecodingContainer<CodingKeys>) throws
        -> DistributionDistillationLoss? {
        guard let object = try object(.distillation, in: container, keys: DistillationKeys.self,
                                      context: "the distillation") else { return nil }
        let defaults = DistributionDistillationLoss()
        func setting(_ key: DistillationKeys, _ fallback: Double, _ ok: (Double) -> Bool, _ requirement: String)
            throws -> Double {
            let value = try object.decodeSetting(Double.self, forKey: key) ?? fallback
            guard ok(value) else {
                throw TrainingConfigError(key: ConfigKeys.dotted(object.codingPath + [key]),
                                          "\(value) is invalid: must be \(requirement)")
            }
            return value
        }
        let bins = try object.decodeSetting(Int.self, forKey: .bins) ?? defaults.bins
        guard (2...100_000).contains(bins) else {
            throw TrainingConfigError(key: ConfigKeys.dotted(object.codingPath + [DistillationKeys.bins]),
                                      "\(bins) is invalid: must be in 2…100,000")
        }
        let weight = { (value: Double) in value >= 0 && value.isFinite }
        return DistributionDistillationLoss(
            bins: bins,
            kernelWidth: try setting(.kernelWidth, defaults.kernelWidth, { $0 > 0 && $0.isFinite }, "finite and > 0"),
            positiveWeight: try setting(.positiveWeight, defaults.positiveWeight, weight, "finite and >= 0"),
            negativeWeight: try setting(.negativeWeight, defaults.negativeWeight, weight, "finite and >= 0"),
            orderWeight: try setting(.orderWeight, defaults.orderWeight, weight, "finite and >= 0"))
    }

    /// Writes every setting, the hard view and distillation as null when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture.description, forKey: .architecture)
        try container.encode(embeddingSize, forKey: .embeddingSize)
        try container.encode(inputSize, forKey: .inputSize)
        try container.encode(margin.name, forKey: .loss)
        try container.encodeIfPresent(margin.scale, forKey: .scale)
        try container.encodeIfPresent(margin.margin, forKey: .margin)
        try Self.encode([(.flipProbability, augmentation.flipProbability), (.cropScale, augmentation.cropScale),
                         (.brightness, augmentation.brightness), (.contrast, augmentation.contrast),
                         (.gamma, augmentation.gamma)] as [(AugmentationKeys, any Encodable)],
                        under: .augmentation, in: &container)
        if let hardView {
            try Self.encode([(.resolutions, hardView.resolutions), (.filter, hardView.filter),
                             (.blurSigma, hardView.blurSigma), (.noiseSigma, hardView.noiseSigma),
                             (.jpegQuality, hardView.jpegQuality), (.illumination, hardView.illumination),
                             (.upsampleBack, hardView.upsampleBack), (.landmarkJitter, hardView.landmarkJitter)]
                            as [(HardViewKeys, any Encodable)],
                            under: .hardView, in: &container)
        } else {
            try container.encodeNil(forKey: .hardView)
        }
        if let distillation {
            try Self.encode([(.bins, distillation.bins), (.kernelWidth, distillation.kernelWidth),
                             (.positiveWeight, distillation.positiveWeight),
                             (.negativeWeight, distillation.negativeWeight), (.orderWeight, distillation.orderWeight)]
                            as [(DistillationKeys, any Encodable)],
                            under: .distillation, in: &container)
        } else {
            try container.encodeNil(forKey: .distillation)
        }
        try container.encode(identityGroupSize, forKey: .identityGroupSize)
        if let partialFCSampleRate {
            try Self.encode([(.sampleRate, partialFCSampleRate)] as [(PartialFCKeys, any Encodable)],
                            under: .partialFC, in: &container)
        } else {
            try container.encodeNil(forKey: .partialFC)
        }
        try container.encode(initialModel, forKey: .initialModel)
    }

    /// Writes `fields` as an object under `key`.
    private static func encode<Keys: CodingKey>(_ fields: [(Keys, any Encodable)], under key: CodingKeys,
                                                in container: inout KeyedEncodingContainer<CodingKeys>) throws {
        var object = container.nestedContainer(keyedBy: Keys.self, forKey: key)
        for (field, value) in fields { try object.encode(value, forKey: field) }
    }

    /// The recipe as pretty-printed JSON with sorted keys, as `recipe.json` holds it.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Numbers, strings and arrays always encode.
        return try! encoder.encode(self)
    }

    /// The recipe as a JSON object, every key present (``RecognitionRunConfiguration``'s defaults).
    public var jsonObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: jsonData())) as? [String: Any] ?? [:]
    }

    /// Every setting by dotted key (`hard_view.resolutions`) with its JSON value, for naming what differs
    /// between two recipes.
    public var settings: [(key: String, value: String)] {
        let tree = jsonObject
        var result: [(key: String, value: String)] = []
        func flatten(_ node: Any, _ prefix: String) {
            if let object = node as? [String: Any], !object.isEmpty {
                for key in object.keys.sorted() { flatten(object[key]!, prefix.isEmpty ? key : prefix + "." + key) }
            } else {
                let data = try? JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys])
                result.append((prefix, data.map { String(decoding: $0, as: UTF8.self) } ?? "\(node)"))
            }
        }
        flatten(tree, "")
        return result
    }

    /// The settings of `other` that differ from this recipe's, as "KEY THEN (this run: NOW)".
    public func differences(from other: FaceRecognitionRecipe) -> [String] {
        let mine = Dictionary(settings, uniquingKeysWith: { first, _ in first })
        let theirs = Dictionary(other.settings, uniquingKeysWith: { first, _ in first })
        return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            mine[key] == theirs[key] ? nil : "\(key) \(mine[key] ?? "unset") (this run: \(theirs[key] ?? "unset"))"
        }
    }
}
