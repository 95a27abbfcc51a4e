import Foundation
import Torch

/// A face-embedding network together with what is needed to use it: architecture, embedding size, input size,
/// and the crop its faces must be cut to.
///
/// A model trained by Visage is saved as one safetensors file whose metadata records the architecture, so
/// `visage embed` and `visage eval` rebuild the right network from the file alone, and Python tools can read the
/// weights. A pretrained engine of the ``EngineCatalogue`` is a face model too (``load(_:)`` takes its name), so
/// engines and trained models are interchangeable wherever a model is accepted.
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
    /// The Visage architecture, or nil for an engine whose network is read from its own format (dlib's ResNet),
    /// which Visage runs but does not build or train.
    public let architecture: BackboneArchitecture?
    public let embeddingSize: Int
    /// Side of the square input images the model was trained on.
    public let inputSize: Int
    /// A stamp naming this model, recorded in the feature files it writes: by default architecture and embedding
    /// size (`mobilefacenet-512d`); trained models add a digest of their weights (``weightsDigest()``), so two
    /// models of one architecture — a model and its upgrade — get different stamps.
    public var identifier: String
    /// How faces must be cut for this model: an ArcFace crop of ``inputSize`` for Visage's models.
    public let crop: FaceCrop
    /// The catalogue entry when this model is a pretrained engine.
    public let engine: EngineCatalogue.Entry?

    /// Wraps a freshly built or trained backbone.
    public convenience init(backbone: Module, architecture: BackboneArchitecture, embeddingSize: Int, inputSize: Int,
                            identifier: String? = nil) {
        self.init(backbone: backbone, architecture: Optional(architecture), embeddingSize: embeddingSize,
                  inputSize: inputSize, identifier: identifier ?? "\(architecture)-\(embeddingSize)d",
                  crop: .arcface(size: inputSize), engine: nil)
    }

    /// Wraps any network, for engines.
    init(backbone: Module, architecture: BackboneArchitecture?, embeddingSize: Int, inputSize: Int,
         identifier: String, crop: FaceCrop, engine: EngineCatalogue.Entry?) {
        self.backbone = backbone
        self.architecture = architecture
        self.embeddingSize = embeddingSize
        self.inputSize = inputSize
        self.identifier = identifier
        self.crop = crop
        self.engine = engine
    }

    /// Builds an untrained model of `architecture`.
    public convenience init(architecture: BackboneArchitecture, embeddingSize: Int, inputSize: Int = 112) {
        self.init(backbone: architecture.make(embeddingSize: embeddingSize), architecture: architecture,
                  embeddingSize: embeddingSize, inputSize: inputSize)
    }

    /// The engine called `reference` (``EngineCatalogue``, e.g. `dlib-resnet`), or else the model file at that path.
    /// - Throws: ``EngineError`` for an engine whose weights are missing or altered; the errors of
    ///   ``load(from:)`` for a file.
    public static func load(_ reference: String) throws -> FaceModel {
        if let entry = EngineCatalogue.all.first(where: { $0.name == reference && $0.kind == .recognition }) {
            return try FaceEngines.load(entry)
        }
        if !reference.contains("/"), !reference.contains("."), !FileManager.default.fileExists(atPath: reference) {
            throw EngineError.unknownEngine(reference, valid: EngineCatalogue.recognitionNames)
        }
        return try load(from: URL(fileURLWithPath: reference))
    }

    /// Faces for this model from a source of ArcFace-aligned crops: resized, or re-cut as its ``crop`` wants.
    public func faces(fromAligned source: any FaceSource) throws -> any FaceSource {
        if case .arcface = crop { return try ResizedFaceSource(source, side: inputSize) }
        return CroppedFaceSource(source, crop: crop)
    }

    /// An embedder running this model on faces of any size, resized to ``inputSize``; `flip` defaults to the engine's own convention (flip-summed for the
    /// MS1M MobileFaceNet), off for Visage's models.
    public func embedder(batchSize: Int = 64, flip: Bool? = nil, workers: Int = 2) throws -> Embedder {
        try Embedder(model: backbone, inputSize: inputSize, batchSize: batchSize,
                     flipTest: flip ?? engine?.flipSummed ?? false, workers: workers)
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
    /// - Throws: ``DataFileError`` for an engine Visage cannot rebuild from safetensors (no ``architecture``).
    public func save(to url: URL) throws {
        guard let architecture else {
            throw DataFileError(url, "\(identifier) is read from its own format and cannot be saved as a Visage model")
        }
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
