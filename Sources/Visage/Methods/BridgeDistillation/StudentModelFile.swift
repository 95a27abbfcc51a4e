import Foundation
import Torch

/// A trained student as one safetensors file that `visage eval --model` / `visage embed --model` read: the
/// network's state dict plus the metadata keys `visage.architecture`, `visage.embedding_size` and
/// `visage.input_size` (and, here, how it was distilled).
public struct StudentModelFile {
    /// The network, in evaluation mode.
    public let model: Module
    /// Its architecture.
    public let architecture: BackboneArchitecture
    /// Embedding dimension.
    public let embeddingSize: Int
    /// The input side p the network was trained at.
    public let inputSize: Int
    /// Every metadata entry of the file.
    public let metadata: [String: String]

    /// Metadata key of the architecture name.
    public static let architectureKey = "visage.architecture"
    /// Metadata key of the embedding size.
    public static let embeddingSizeKey = "visage.embedding_size"
    /// Metadata key of the input side.
    public static let inputSizeKey = "visage.input_size"

    /// Writes `model` with its description and `extra` metadata to `url`, atomically.
    public static func save(_ model: Module, architecture: BackboneArchitecture, embeddingSize: Int, inputSize: Int,
                            extra: [String: String] = [:], to url: URL) throws {
        var metadata = extra
        metadata[architectureKey] = architecture.description
        metadata[embeddingSizeKey] = "\(embeddingSize)"
        metadata[inputSizeKey] = "\(inputSize)"
        try model.save(to: url, metadata: metadata)
    }

    /// Reads the model at `url`.
    /// - Throws: ``DataFileError`` naming the file when a metadata key is missing or invalid, and the loader's
    ///   error when the weights do not fit the architecture.
    public init(contentsOf url: URL) throws {
        let metadata = try SafeTensors.read(from: url).metadata
        func value(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw DataFileError(url, "no \(key) metadata: not a Visage model file")
            }
            return value
        }
        do { architecture = try BackboneArchitecture(parsing: value(Self.architectureKey)) } catch let error as BackboneArchitecture.UnknownName {
            throw DataFileError(url, "\(Self.architectureKey): \(error)")
        }
        guard let embedding = Int(try value(Self.embeddingSizeKey)), embedding > 0 else {
            throw DataFileError(url, "\(Self.embeddingSizeKey) must be a positive integer")
        }
        guard let input = Int(try value(Self.inputSizeKey)), input > 0 else {
            throw DataFileError(url, "\(Self.inputSizeKey) must be a positive integer")
        }
        let model = architecture.make(embeddingSize: embedding)
        try model.load(from: url, strict: true)
        self.model = model.eval()
        embeddingSize = embedding
        inputSize = input
        self.metadata = metadata
    }
}
