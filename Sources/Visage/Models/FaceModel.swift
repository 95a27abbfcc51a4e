import Foundation
import Torch

/// A face-embedding network together with what is needed to use it: architecture, embedding size, input size.
///
/// Saved as one safetensors file whose metadata records the architecture, so `visage embed` and `visage eval`
/// rebuild the right network from the file alone, and Python tools can read the weights.
public final class FaceModel {
    /// Metadata keys written into the safetensors header.
    enum MetadataKey {
        static let architecture = "visage.architecture"
        static let embeddingSize = "visage.embedding_size"
        static let inputSize = "visage.input_size"
        static let identifier = "visage.model_id"
    }

    /// The network: N×3×S×S normalized images in, N×D embeddings out.
    public let backbone: Module
    public let architecture: BackboneArchitecture
    public let embeddingSize: Int
    /// Side of the square input images the model was trained on.
    public let inputSize: Int
    /// A stamp naming this model (architecture and a digest of its weights), recorded in feature files it writes.
    public var identifier: String

    /// Wraps a freshly built or trained backbone.
    public init(backbone: Module, architecture: BackboneArchitecture, embeddingSize: Int, inputSize: Int,
                identifier: String? = nil) {
        self.backbone = backbone
        self.architecture = architecture
        self.embeddingSize = embeddingSize
        self.inputSize = inputSize
        self.identifier = identifier ?? "\(architecture)-\(embeddingSize)d"
    }

    /// Builds an untrained model of `architecture`.
    public convenience init(architecture: BackboneArchitecture, embeddingSize: Int, inputSize: Int = 112) {
        self.init(backbone: architecture.make(embeddingSize: embeddingSize), architecture: architecture,
                  embeddingSize: embeddingSize, inputSize: inputSize)
    }

    /// Reads a model written by ``save(to:)``; throws naming the file when its metadata or weights do not fit.
    public static func load(from url: URL) throws -> FaceModel {
        let contents = try SafeTensors.read(from: url)
        func value(_ key: String) throws -> String {
            guard let value = contents.metadata[key] else {
                throw DataFileError(url, "is not a Visage face model: its metadata has no '\(key)'")
            }
            return value
        }
        let architecture = try BackboneArchitecture(parsing: value(MetadataKey.architecture))
        guard let embeddingSize = Int(try value(MetadataKey.embeddingSize)), embeddingSize > 0,
              let inputSize = Int(try value(MetadataKey.inputSize)), inputSize > 0 else {
            throw DataFileError(url, "has an invalid embedding or input size in its metadata")
        }
        let model = FaceModel(architecture: architecture, embeddingSize: embeddingSize, inputSize: inputSize)
        try model.backbone.loadStateDict(contents.tensors, strict: true, origin: url.path)
        model.identifier = contents.metadata[MetadataKey.identifier] ?? model.identifier
        model.backbone.eval()
        return model
    }

    /// Writes the weights and metadata atomically.
    public func save(to url: URL) throws {
        try backbone.save(to: url, metadata: [
            MetadataKey.architecture: architecture.description,
            MetadataKey.embeddingSize: String(embeddingSize),
            MetadataKey.inputSize: String(inputSize),
            MetadataKey.identifier: identifier,
        ])
    }
}
