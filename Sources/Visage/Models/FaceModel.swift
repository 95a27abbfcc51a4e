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
    /// A stamp naming this model, recorded in the feature files it writes: by default architecture and embedding
    /// size (`mobilefacenet-512d`); trained models add a digest of their weights (``weightsDigest()``), so two
    /// models of one architecture — a model and its upgrade — get different stamps.
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

    /// 16 hexadecimal digits of the FNV-1a hash of every state-dict tensor (parameters and buffers) as float32,
    /// in key order: the same for the same weights, different for other weights of the same architecture.
    public func weightsDigest() -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let state = backbone.stateDict()
        for key in state.keys.sorted() {
            for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            for value in state[key]!.array(of: Float.self) {
                hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01B3
            }
        }
        return String(hash, radix: 16).leftPadded(to: 16)
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

extension String {
    /// The string with leading zeros up to `length` characters.
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
