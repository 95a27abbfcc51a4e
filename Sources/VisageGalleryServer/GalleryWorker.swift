import Foundation
import Hummingbird
import Visage
import VisageGallery

/// The service's face work, one request at a time: the engine's pipeline, the enroller and the search index of
/// the people's templates, loaded once and reloaded when the gallery has changed since (an enroll, a cluster's
/// naming or a migration here, or any change by another process or service instance sharing the gallery).
public actor GalleryWorker {
    let store: GalleryStore
    private(set) var enroller: GalleryEnroller
    let aligned: Bool
    /// Loads the engine a migration moves to (a catalogue name or a model file).
    let loadModel: @Sendable (String) throws -> FaceModel
    /// The search index's kind (nil: chosen by the gallery's size) and tuning.
    let indexKind: SearchIndexKind?
    let indexParameters: SearchIndexParameters
    /// The templates identify searches: the whole gallery, a shard, or the shard instances' (a coordinator).
    let scope: SearchScope
    /// The index of the templates in scope (nil: a shard holding none) and the gallery revision it was built at.
    private var index: (index: (any TemplateSearch)?, revision: Int64)?

    /// A worker for `store` whose pipeline `makePipeline` builds (its model must have the gallery's engine stamp);
    /// `aligned` takes uploads as ArcFace-aligned crops instead of detecting faces; identify searches an index of
    /// `indexKind` (nil: ``SearchIndexKind/automatic(templates:)``) over the templates of `scope`; `loadModel` loads
    /// the engine named by a migration.
    public init(store: GalleryStore, aligned: Bool, indexKind: SearchIndexKind? = nil,
                indexParameters: SearchIndexParameters = .init(), scope: SearchScope = .whole,
                loadModel: @escaping @Sendable (String) throws -> FaceModel = { try FaceModel.load($0) },
                makePipeline: @Sendable () throws -> FacePipeline) throws {
        let pipeline = try makePipeline()
        let stamp = try store.engine().stamp
        guard pipeline.model.identifier == stamp else {
            throw GalleryError("the service's model is \(pipeline.model.identifier) but \(store.location) holds \(stamp)")
        }
        var enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: stamp)
        enroller.aligned = aligned
        self.store = store
        self.enroller = enroller
        self.aligned = aligned
        self.loadModel = loadModel
        self.indexKind = indexKind
        self.indexParameters = indexParameters
        self.scope = scope
    }

    /// Stores an uploaded photo.
    func enroll(_ bytes: [UInt8], name: String, person: String?) throws -> EnrollResponse {
        let outcome = try mapErrors { try enroller.enroll(bytes: bytes, name: name, person: person) }
        switch outcome {
        case .stored(_, let faces):
            if faces == 0 { throw HTTPError(.unprocessableContent, message: "no face found in \(name); the photo is recorded") }
            return EnrollResponse(stored: true, faces: faces, duplicateOf: nil)
        case .duplicate(let earlier):
            return EnrollResponse(stored: false, faces: 0, duplicateOf: earlier)
        }
    }

    /// The top-k people and the open-set decision for each face of an uploaded photo.
    func identify(_ bytes: [UInt8], name: String, topK: Int) async throws -> IdentifyResponse {
        let stamp = enroller.engine
        let ranked: [[TemplateIndex.Candidate]], faces: [ProbeFace]
        switch scope {
        case .whole:
            let index = try searchIndex()
            faces = try probeFaces(bytes, name: name)
            ranked = try rank(faces.map(\.template), in: index, k: topK)
        case .shard(let shard):
            throw HTTPError(.conflict, message: "this instance serves shard \(shard) of the gallery's templates: "
                + "identify through the coordinator (visage gallery serve --shard-url ...)")
        case .coordinator(let instances):
            faces = try probeFaces(bytes, name: name)
            ranked = try await instances.rank(faces.map(\.template), engine: stamp, k: topK)
        }
        let threshold = try threshold(for: stamp)
        let names = try store.personNames()
        return IdentifyResponse(engine: stamp, threshold: threshold, faces: zip(faces, ranked).map { face, candidates in
            IdentifyResponse.Face(
                box: [face.box.left, face.box.top, face.box.right, face.box.bottom],
                decision: TemplateIndex.decision(candidates, threshold: threshold).map { names[$0.person] ?? "?" },
                candidates: candidates.map { .init(person: names[$0.person] ?? "?", score: $0.score, face: $0.face) })
        })
    }

    /// The `k` best people in this instance's templates (its shard's, or the whole gallery's) for each probe
    /// template: what a coordinator asks every shard instance.
    func search(_ request: ShardSearchRequest) throws -> ShardSearchResponse {
        let stamp = enroller.engine
        guard request.engine == stamp else {
            throw HTTPError(.conflict, message: "this instance searches templates of \(stamp), not \(request.engine)")
        }
        guard request.topK > 0 else { throw HTTPError(.badRequest, message: "top_k must be positive, got \(request.topK)") }
        if case .coordinator = scope {
            throw HTTPError(.conflict, message: "this instance is a coordinator and holds no templates: send the search "
                + "to its shard instances")
        }
        let ranked = try rank(request.templates, in: try searchIndex(), k: request.topK)
        return ShardSearchResponse(engine: stamp, shard: scope.shard, ranked: ranked)
    }

    /// Whether an uploaded photo's largest face is `person`.
    func verify(_ bytes: [UInt8], name: String, person: String) throws -> VerifyResponse {
        let stamp = enroller.engine
        let index: TemplateIndex
        do {
            guard let theirs = try store.personTemplates(named: person, engine: stamp) else {
                throw HTTPError(.notFound, message: "no person named '\(person)'")
            }
            index = theirs
        } catch let error as GalleryError {
            throw HTTPError(.conflict, message: error.message)
        }
        let threshold = try threshold(for: stamp)
        let face = try probeFaces(bytes, name: name)[0]
        let best = try index.rank([face.template], k: 1)[0][0].score
        return VerifyResponse(person: person, score: best, threshold: threshold, samePerson: best >= threshold)
    }

    /// The people with their face counts.
    func people() throws -> [PersonResponse] {
        try store.people().map { PersonResponse(name: $0.name, faces: $0.faces) }
    }

    /// The faces of the person `name`.
    func faces(of name: String) throws -> [FaceResponse] {
        do {
            return try store.faces(of: name).map { FaceResponse(face: $0.face, photo: $0.path, kept: $0.kept) }
        } catch let error as GalleryError {
            throw HTTPError(.notFound, message: error.message)
        }
    }

    /// The clusters of unassigned faces, largest first.
    func clusters() throws -> [ClusterResponse] {
        try store.clusters().map { ClusterResponse(label: $0.label, faces: $0.faces) }
    }

    /// Assigns the faces of cluster `label` to the person `name` (created if new).
    func nameCluster(_ label: Int, as name: String) throws -> NamedClusterResponse {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw HTTPError(.badRequest, message: "a cluster needs a non-empty person name") }
        guard try store.clusters().contains(where: { $0.label == label }) else {
            throw HTTPError(.notFound, message: "no cluster \(label) (GET /clusters lists them)")
        }
        let faces = try mapErrors { try store.nameCluster(label, as: name) }
        index = nil
        return NamedClusterResponse(label: label, person: name, faces: faces)
    }

    /// The face `id` cut from its kept photo (with a margin of a fifth of the box), as PNG.
    func faceCrop(_ id: Int64) throws -> [UInt8] {
        guard let face = try store.facePhoto(id) else { throw HTTPError(.notFound, message: "no face \(id)") }
        guard let bytes = face.bytes else {
            throw HTTPError(.notFound, message: "the photo of face \(id) (\(face.path)) was not kept: the gallery was "
                + "created without --keep-photos")
        }
        let image = try FacePipeline.decode([UInt8](bytes), name: face.path)
        let box = face.box, marginX = (box.right - box.left + 1) / 5, marginY = (box.bottom - box.top + 1) / 5
        let left = max(0, box.left - marginX), top = max(0, box.top - marginY)
        let right = min(image.width - 1, box.right + marginX), bottom = min(image.height - 1, box.bottom + marginY)
        guard left <= right, top <= bottom else {
            throw HTTPError(.notFound, message: "face \(id)'s box \(box) lies outside its photo (\(image.width)×\(image.height))")
        }
        return try ImageCodec.encodePNG(image.cropped(x: left, y: top, width: right - left + 1, height: bottom - top + 1))
    }

    /// `model` at `precision`, calibrated on the request's folder of aligned faces.
    private static func model(_ model: FaceModel, at precision: InferencePrecision, _ request: MigrateRequest) throws
        -> FaceModel
    {
        guard precision != .fp32, let folder = request.calibration else { return model }
        let aligned = try ImageFolder(root: URL(fileURLWithPath: folder))
        return try model.atPrecision(precision, calibration: model.faces(fromAligned: aligned),
                                     count: request.calibrationFaces ?? 256,
                                     tolerance: request.precisionTolerance ?? FaceModel.defaultPrecisionTolerance)
    }

    /// Moves the gallery to another engine as `visage gallery migrate` does, and serves with that engine after.
    func migrate(_ request: MigrateRequest) throws -> MigrateResponse {
        let methodName = request.method ?? EngineMigration.Method.auto.rawValue
        guard let method = EngineMigration.Method(rawValue: methodName) else {
            throw HTTPError(.badRequest, message: "method must be one of "
                + "\(EngineMigration.Method.allCases.map(\.rawValue).joined(separator: ", ")), got '\(methodName)'")
        }
        if method == .transform, request.transformer == nil {
            throw HTTPError(.badRequest, message: "method transform needs a transformer")
        }
        if let top1 = request.transformerTop1, !(0...1).contains(top1) {
            throw HTTPError(.badRequest, message: "transformerTop1 must be a fraction in 0…1, got \(top1)")
        }
        let precisionName = request.precision ?? InferencePrecision.fp32.rawValue
        guard let precision = InferencePrecision(rawValue: precisionName) else {
            throw HTTPError(.badRequest, message: "precision must be one of "
                + "\(InferencePrecision.allCases.map(\.rawValue).joined(separator: ", ")), got '\(precisionName)'")
        }
        if precision != .fp32, request.calibration == nil {
            throw HTTPError(.badRequest,
                            message: "precision \(precision) needs calibration, a folder of aligned faces on the server")
        }
        let model: FaceModel, transformer: EngineMigration.Transformer?
        do {
            model = try Self.model(loadModel(request.to), at: precision, request)
            transformer = try request.transformer.map { path in
                let url = URL(fileURLWithPath: path)
                return EngineMigration.Transformer(transformer: try FeatureTransformer.load(from: url), url: url,
                                                   top1: request.transformerTop1)
            }
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
        let pipeline = try FacePipeline(model: model, finder: enroller.pipeline.finder)
        let report = try mapErrors {
            try EngineMigration(store: store, pipeline: pipeline, reference: request.to, method: method,
                                transformer: transformer).run(showProgress: false)
        }
        var enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: model.identifier)
        enroller.aligned = aligned
        self.enroller = enroller
        index = nil
        return MigrateResponse(from: report.from, to: report.to, reextracted: report.reextracted,
                               transformed: report.transformed, seconds: report.seconds)
    }

    /// The `k` best people of `index` for each probe; none for each when there is no index (a shard holding no
    /// template).
    private func rank(_ probes: [[Float]], in index: (any TemplateSearch)?, k: Int) throws -> [[TemplateIndex.Candidate]] {
        try mapErrors { try index.map { try $0.rank(probes, k: k) } } ?? probes.map { _ in [] }
    }

    /// The index of the templates in scope, rebuilt when the gallery has changed; nil for a shard holding none.
    private func searchIndex() throws -> (any TemplateSearch)? {
        let stamp = enroller.engine
        let revision = try store.revision()
        if index?.revision != revision {
            try mapErrors { try store.requireCoverage(of: stamp, assignedOnly: true) }
            let templates = try store.templates(engine: stamp, assignedOnly: true, shard: scope.shard)
            if templates.isEmpty, scope.shard == nil {
                throw HTTPError(.conflict, message: "the gallery has nobody enrolled yet")
            }
            index = (templates.isEmpty ? nil
                        : try TemplateSearchIndex.build(indexKind, engine: stamp, templates: templates,
                                                        parameters: indexParameters),
                     revision)
        }
        return index!.index
    }

    /// The threshold the gallery decides `stamp`'s matches at; its absence is a 409.
    private func threshold(for stamp: String) throws -> Double {
        do {
            return try store.effectiveThreshold(for: stamp).value
        } catch let error as GalleryError {
            throw HTTPError(.conflict, message: error.message)
        }
    }

    private func probeFaces(_ bytes: [UInt8], name: String) throws -> [ProbeFace] {
        try mapErrors {
            guard !bytes.isEmpty else { throw GalleryError("\(name): the file is empty") }
            let located = try enroller.pipeline.locate(bytes, name: name, aligned: aligned)
            guard !located.faces.isEmpty else { throw HTTPError(.unprocessableContent, message: "no face found in \(name)") }
            let templates = try enroller.pipeline.templates([(located, name)])[0]
            return zip(located.faces, templates).enumerated().map {
                ProbeFace(photo: name, rank: $0.offset, box: $0.element.0.box, template: $0.element.1)
            }
        }
    }

    /// Runs `body`, turning a user's bad input into a 4xx with the error's words.
    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ImageError {
            throw HTTPError(.unsupportedMediaType, message: "\(error)")
        } catch let error as GalleryError {
            throw HTTPError(.badRequest, message: error.message)
        }
    }
}
