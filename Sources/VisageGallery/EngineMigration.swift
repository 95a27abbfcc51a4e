import Foundation
import Visage

/// Moves a gallery to another engine: faces whose photo can be read again (kept in the gallery, or still at its
/// path with the same SHA-256) are re-extracted by the new engine from their stored landmarks; the others'
/// templates are mapped by a cross-model transformer and marked transformed. The new templates are stored in one
/// transaction, beside the old ones, and the new engine becomes the gallery's — at the precision its model runs
/// (a ``PrecisionNetwork`` backbone's calibration is stored with it, as `gallery create` stores one).
public struct EngineMigration {
    public enum Method: String, Sendable, CaseIterable {
        /// Re-extract where the photo can be read, transform the rest (a transformer is then needed).
        case auto
        /// Re-extract every face; refused when a photo cannot be read.
        case reextract
        /// Transform every template, reading no photo.
        case transform
    }

    /// The transformer, its file and its measured top-1 identification accuracy when known.
    public struct Transformer {
        public var transformer: FeatureTransformer
        public var url: URL
        public var top1: Double?

        public init(transformer: FeatureTransformer, url: URL, top1: Double?) {
            self.transformer = transformer
            self.url = url
            self.top1 = top1
        }
    }

    public let store: GalleryStore
    /// The new engine's pipeline (its model; no detector is needed).
    public let pipeline: FacePipeline
    /// How the new engine is named in the gallery: a catalogue name or a model file.
    public let reference: String
    public let method: Method
    public let transformer: Transformer?

    public init(store: GalleryStore, pipeline: FacePipeline, reference: String, method: Method, transformer: Transformer?) {
        self.store = store
        self.pipeline = pipeline
        self.reference = reference
        self.method = method
        self.transformer = transformer
    }

    /// What a migration did.
    public struct Report: Sendable, Equatable {
        public var from: String
        public var to: String
        public var reextracted = 0
        public var transformed = 0
        public var seconds = 0.0
    }

    /// Runs the migration; nothing is stored unless every face gets a template.
    /// - Throws: ``GalleryError`` when the gallery already uses the engine, a photo needed for re-extraction cannot
    ///   be read, or the transformer does not map the gallery's engine to the new one.
    public func run(showProgress: Bool = true) throws -> Report {
        let start = Date()
        let (_, source) = try store.engine()
        let target = pipeline.model.identifier
        guard source != target else { throw GalleryError("\(store.location) already uses \(target)") }
        if let transformer {
            guard transformer.transformer.sourceModel == source, transformer.transformer.targetModel == target else {
                throw GalleryError("\(transformer.url.path) maps \(transformer.transformer.sourceModel) to "
                    + "\(transformer.transformer.targetModel), but the gallery moves from \(source) to \(target)")
            }
        }
        var report = Report(from: source, to: target)
        var readable: [Int64: [UInt8]] = [:]
        let faces = try store.faces()
        if method != .transform {
            for face in faces where readable[face.photo] == nil {
                if let bytes = Self.photoBytes(face) { readable[face.photo] = bytes }
            }
        }
        let toReextract = faces.filter { readable[$0.photo] != nil }
        let toTransform = faces.filter { readable[$0.photo] == nil }
        if method == .reextract, let first = toTransform.first {
            throw GalleryError("\(toTransform.count) face(s) cannot be re-extracted: their photos were not kept and are no "
                + "longer at their paths with the same bytes (first: \(first.path)); give --transformer to map them")
        }
        var migrated: [(face: Int64, vector: [Float], provenance: TemplateProvenance)] = []
        if !toTransform.isEmpty {
            guard let transformer else {
                throw GalleryError("\(toTransform.count) face(s) have no readable photo (first: \(toTransform[0].path)); "
                    + "a transformer from \(source) to \(target) is needed (--transformer)")
            }
            let stored = Dictionary(uniqueKeysWithValues: try store.templates(engine: source).map { ($0.face, $0.vector) })
            let vectors = try toTransform.map { face -> [Float] in
                guard let vector = stored[face.id] else {
                    throw GalleryError("face \(face.id) of \(face.path) has no template of \(source) to transform")
                }
                return vector
            }
            let matrix = try FeatureMatrix(rows: vectors.count, columns: vectors[0].count, values: vectors.flatMap { $0 })
            let mapped = try transformer.transformer.transform(matrix)
            let provenance = TemplateProvenance.transformed(transformer: transformer.url.path, from: source,
                                                            top1: transformer.top1)
            for (index, face) in toTransform.enumerated() {
                migrated.append((face.id, Self.normalized(Array(mapped.row(index))), provenance))
            }
            report.transformed = toTransform.count
        }
        return try finish(migrated, toReextract: toReextract, readable: readable, report: report, start: start,
                          showProgress: showProgress)
    }

    private func finish(_ transformed: [(face: Int64, vector: [Float], provenance: TemplateProvenance)],
                        toReextract: [StoredFace], readable: [Int64: [UInt8]], report: Report, start: Date,
                        showProgress: Bool) throws -> Report {
        var report = report
        var migrated = transformed
        let byPhoto = Dictionary(grouping: toReextract, by: \.photo)
        let photos = byPhoto.keys.sorted()
        let progress = ProgressBar("re-extract", total: photos.count, unit: "photo", enabled: showProgress && !photos.isEmpty)
        defer { progress.finish() }
        for start in stride(from: 0, to: photos.count, by: 16) {
            let chunk = photos[start..<min(start + 16, photos.count)]
            let located = try chunk.map { photo -> (located: FacePipeline.Located, name: String) in
                let faces = byPhoto[photo]!
                let image = try FacePipeline.decode(readable[photo]!, name: faces[0].path)
                return (FacePipeline.Located(image: image, faces: faces.map {
                    FacePipeline.Face(box: FaceBox(left: 0, top: 0, right: 0, bottom: 0), score: 0, landmarks: $0.landmarks)
                }, aligned: faces[0].aligned), faces[0].path)
            }
            let templates = try pipeline.templates(located)
            for (photo, vectors) in zip(chunk, templates) {
                for (face, vector) in zip(byPhoto[photo]!, vectors) { migrated.append((face.id, vector, .extracted)) }
            }
            progress.advance(by: chunk.count)
        }
        report.reextracted = toReextract.count
        try store.storeMigrated(migrated, engine: report.to, reference: reference,
                                summary: "\(report.from) → \(report.to): \(report.reextracted) re-extracted, "
                                    + "\(report.transformed) transformed",
                                precision: pipeline.model.precisionCalibration)
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// The photo's bytes: kept in the gallery, or read from its path when the file there still has its SHA-256.
    static func photoBytes(_ face: StoredFace) -> [UInt8]? {
        if let bytes = face.bytes { return [UInt8](bytes) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: face.path)), SHA256.hex(data) == face.sha256 else {
            return nil
        }
        return [UInt8](data)
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
