import Foundation
import Torch

/// A trained template inverter: the generator of one ``InversionMethod`` and what it inverts — the engine (its
/// stamp), the template length and the face side — saved as one safetensors file whose metadata carries them.
public struct TemplateInverter {
    public let method: InversionMethod
    /// The stamp of the engine whose templates it inverts (`dlib-resnet-55533b28a95800a5`).
    public let engine: String
    public let templateDimension: Int
    public let faceSize: Int
    public let generator: Module

    public init(method: InversionMethod, engine: String, templateDimension: Int, faceSize: Int, generator: Module) {
        self.method = method
        self.engine = engine
        self.templateDimension = templateDimension
        self.faceSize = faceSize
        self.generator = generator
    }

    /// A fresh generator of `method`.
    static func makeGenerator(_ method: InversionMethod, templateDimension: Int, faceSize: Int) -> Module {
        method == .nbnet ? NbNetGenerator(templateDimension: templateDimension, size: faceSize)
            : InversionGenerator(templateDimension: templateDimension, size: faceSize)
    }

    /// Writes the generator and the metadata to `url` atomically.
    public func save(to url: URL) throws {
        try generator.save(to: url, metadata: [
            "method": method.rawValue, "engine": engine, "template_dimension": "\(templateDimension)",
            "face_size": "\(faceSize)",
        ])
    }

    /// The inverter at `url` (a file written by ``save(to:)``, or a run folder holding `inverter.safetensors`).
    /// - Throws: ``DataFileError`` naming the file when its metadata is missing or invalid; safetensors and
    ///   state-dict errors for a file that is not such a generator.
    public static func load(from url: URL) throws -> TemplateInverter {
        var isFolder: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
            ? url.appendingPathComponent("inverter.safetensors") : url
        let contents = try SafeTensors.read(from: file)
        let metadata = contents.metadata
        guard let methodName = metadata["method"], let method = InversionMethod(rawValue: methodName),
              let engine = metadata["engine"], let dimension = metadata["template_dimension"].flatMap(Int.init),
              let size = metadata["face_size"].flatMap(Int.init), dimension > 0, size >= 8, size & (size - 1) == 0
        else {
            throw DataFileError(file, "not a template inverter: its metadata must give method ("
                + InversionMethod.allCases.map(\.rawValue).joined(separator: ", ")
                + "), engine, template_dimension and face_size; found \(metadata.sorted { $0.key < $1.key })")
        }
        let generator = makeGenerator(method, templateDimension: dimension, faceSize: size)
        try generator.loadStateDict(contents.tensors, origin: file.path)
        generator.eval()
        return TemplateInverter(method: method, engine: engine, templateDimension: dimension, faceSize: size,
                                generator: generator)
    }

    /// The faces reconstructed from `templates` (`[N, templateDimension]`), `batchSize` at a time, as
    /// `faceSize`×`faceSize` RGB images. The noise of the GAN generators is drawn from `seed`, so the same call
    /// gives the same faces.
    public func reconstruct(_ templates: FeatureMatrix, batchSize: Int = 64, seed: UInt64 = 0,
                            progress: ProgressBar? = nil) throws -> [Image] {
        guard templates.columns == templateDimension else {
            throw DataError.invalidArgument("the templates are \(templates.columns)-D but the inverter reads "
                + "\(templateDimension)-D templates of \(engine)")
        }
        Runtime.seed(seed)
        var images: [Image] = []
        images.reserveCapacity(templates.rows)
        let plane = 3 * faceSize * faceSize
        for start in stride(from: 0, to: templates.rows, by: batchSize) {
            let rows = Array(start..<min(start + batchSize, templates.rows))
            let batch = try Tensor(rows.flatMap { templates.row($0) }, shape: [rows.count, templateDimension])
            let faces = try withTorchErrors { withoutGrad { generator(batch).contiguous() } }.array(of: Float.self)
            for index in rows.indices {
                images.append(R3ANReconstructionGrid.image(fromTanh: faces[(index * plane)..<((index + 1) * plane)],
                                                           size: faceSize))
            }
            progress?.advance(by: rows.count)
        }
        return images
    }
}
