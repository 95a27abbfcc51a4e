import Foundation
import Hummingbird
import Visage
import VisageGallery

/// The service's face work, one request at a time: the engine's pipeline, the enroller and the search index of
/// the people's templates, loaded once and reloaded after an enroll.
public actor GalleryWorker {
    let store: GalleryStore
    let enroller: GalleryEnroller
    let aligned: Bool
    /// The search index's kind (nil: chosen by the gallery's size) and tuning.
    let indexKind: SearchIndexKind?
    let indexParameters: SearchIndexParameters
    private var index: (any TemplateSearch)?

    /// A worker for `store` whose pipeline `makePipeline` builds (its model must have the gallery's engine stamp);
    /// `aligned` takes uploads as ArcFace-aligned crops instead of detecting faces; identify searches an index of
    /// `indexKind` (nil: ``SearchIndexKind/automatic(templates:)``).
    public init(store: GalleryStore, aligned: Bool, indexKind: SearchIndexKind? = nil,
                indexParameters: SearchIndexParameters = .init(), makePipeline: @Sendable () throws -> FacePipeline) throws {
        let pipeline = try makePipeline()
        let stamp = try store.engine().stamp
        guard pipeline.model.identifier == stamp else {
            throw GalleryError("the service's model is \(pipeline.model.identifier) but \(store.url.path) holds \(stamp)")
        }
        var enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: stamp)
        enroller.aligned = aligned
        self.store = store
        self.enroller = enroller
        self.aligned = aligned
        self.indexKind = indexKind
        self.indexParameters = indexParameters
    }

    /// Stores an uploaded photo.
    func enroll(_ bytes: [UInt8], name: String, person: String?) throws -> EnrollResponse {
        let outcome = try mapErrors { try enroller.enroll(bytes: bytes, name: name, person: person) }
        switch outcome {
        case .stored(_, let faces):
            index = nil
            if faces == 0 { throw HTTPError(.unprocessableContent, message: "no face found in \(name); the photo is recorded") }
            return EnrollResponse(stored: true, faces: faces, duplicateOf: nil)
        case .duplicate(let earlier):
            return EnrollResponse(stored: false, faces: 0, duplicateOf: earlier)
        }
    }

    /// The top-k people and the open-set decision for each face of an uploaded photo.
    func identify(_ bytes: [UInt8], name: String, topK: Int) throws -> IdentifyResponse {
        let (index, threshold) = try searchIndex()
        let faces = try probeFaces(bytes, name: name)
        let names = try store.personNames()
        let ranked = try index.rank(faces.map(\.template), k: topK)
        return IdentifyResponse(engine: index.engine, threshold: threshold, faces: zip(faces, ranked).map { face, candidates in
            IdentifyResponse.Face(
                box: [face.box.left, face.box.top, face.box.right, face.box.bottom],
                decision: TemplateIndex.decision(candidates, threshold: threshold).map { names[$0.person] ?? "?" },
                candidates: candidates.map { .init(person: names[$0.person] ?? "?", score: $0.score) })
        })
    }

    /// Whether an uploaded photo's largest face is `person`.
    func verify(_ bytes: [UInt8], name: String, person: String) throws -> VerifyResponse {
        let (index, threshold) = try searchIndex()
        guard let id = try store.people().first(where: { $0.name == person })?.id else {
            throw HTTPError(.notFound, message: "no person named '\(person)'")
        }
        let face = try probeFaces(bytes, name: name)[0]
        // Exact, against this person's templates only, whatever kind of index identify searches.
        let theirs = try store.templates(engine: index.engine, assignedOnly: true).filter { $0.person == id }
        let best = theirs.isEmpty ? -1 : try TemplateIndex(engine: index.engine, templates: theirs).rank([face.template], k: 1)[0][0].score
        return VerifyResponse(person: person, score: best, threshold: threshold, samePerson: best >= threshold)
    }

    /// The people with their face counts.
    func people() throws -> [PersonResponse] {
        try store.people().map { PersonResponse(name: $0.name, faces: $0.faces) }
    }

    private func searchIndex() throws -> (any TemplateSearch, Double) {
        let stamp = enroller.engine
        if index == nil {
            try mapErrors { try store.requireCoverage(of: stamp, assignedOnly: true) }
            let templates = try store.templates(engine: stamp, assignedOnly: true)
            guard !templates.isEmpty else { throw HTTPError(.conflict, message: "the gallery has nobody enrolled yet") }
            index = try TemplateSearchIndex.build(indexKind, engine: stamp, templates: templates, parameters: indexParameters)
        }
        do {
            return (index!, try store.effectiveThreshold(for: stamp).value)
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
