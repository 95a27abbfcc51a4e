import Foundation

/// Which model a feature file belongs to, stored as JSON next to it (`gallery.npy` → `gallery.json`), so that
/// features of different models are never compared or transformed by mistake.
public struct FeatureStamp: Codable, Sendable, Equatable {
    /// The model whose feature space the rows are in (for transformed features, the target model).
    public var model: String
    /// The feature dimension.
    public var dimension: Int
    /// Number of rows.
    public var count: Int?
    /// For transformed features: the model the input features came from.
    public var transformedFrom: String?
    /// For transformed features: the transformer file that produced them.
    public var transformer: String?

    /// A stamp for `count` features of `dimension` from `model`.
    public init(model: String, dimension: Int, count: Int? = nil, transformedFrom: String? = nil,
                transformer: String? = nil) {
        self.model = model
        self.dimension = dimension
        self.count = count
        self.transformedFrom = transformedFrom
        self.transformer = transformer
    }

    /// Checks that `features` can hold a feature matrix with its side files: it must end in `.npy`, since its
    /// image list (`.txt`) and stamp (`.json`) take its name with those extensions and would otherwise overwrite it.
    /// - Throws: ``DataError/invalidArgument(_:)`` naming the path.
    public static func checkFeaturesPath(_ features: URL) throws {
        guard features.pathExtension.lowercased() == "npy" else {
            throw DataError.invalidArgument("the features file \(features.path) must end in .npy: its image list (.txt) "
                + "and stamp (.json) are written beside it under the same name")
        }
    }

    /// Where the stamp of the feature matrix at `features` lives: the same name ending in `.json`.
    public static func url(for features: URL) -> URL {
        features.deletingPathExtension().appendingPathExtension("json")
    }

    /// The stamp next to `features`, or nil when there is none.
    /// - Throws: ``DataFileError`` when the stamp exists but is not a valid stamp.
    public static func read(for features: URL) throws -> FeatureStamp? {
        let url = url(for: features)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(FeatureStamp.self, from: Data(contentsOf: url))
        } catch {
            throw DataFileError(url, "not a feature stamp (JSON with 'model' and 'dimension'): \(error)")
        }
    }

    /// Writes this stamp next to `features`, replacing any stamp there.
    public func write(for features: URL) throws {
        let url = Self.url(for: features)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw DataFileError(url, "cannot write the stamp: \(error.localizedDescription)")
        }
    }

    /// The model of the features at `features`: their stamp's, else the file's name without extension
    /// (`dlib_resnet128.npy` → `dlib_resnet128`).
    public static func modelName(for features: URL) throws -> String {
        try read(for: features)?.model ?? features.deletingPathExtension().lastPathComponent
    }
}
