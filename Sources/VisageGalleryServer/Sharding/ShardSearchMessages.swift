import Hummingbird
import VisageGallery

/// What `POST /search` takes: probe templates of an engine, searched in the instance's templates (its shard when it
/// serves one). A coordinator sends it to each shard instance; a client holding templates can send it too.
public struct ShardSearchRequest: Codable, Sendable, Equatable {
    /// The engine stamp of the templates; an instance of another engine refuses them (409).
    public var engine: String
    public var templates: [[Float]]
    public var topK: Int

    private enum CodingKeys: String, CodingKey {
        case engine, templates
        case topK = "top_k"
    }
}

/// What `POST /search` answers: for each probe, the instance's best people by their best template, best first, by
/// person id (the instances share one database, so ids agree across them).
public struct ShardSearchResponse: ResponseCodable, Sendable, Equatable {
    public struct Candidate: Codable, Sendable, Equatable {
        public var person: Int64
        public var score: Double
        public var face: Int64
    }
    public var engine: String
    /// The shard searched (`INDEX/COUNT`), or nil for the whole gallery.
    public var shard: String?
    public var results: [[Candidate]]

    init(engine: String, shard: TemplateShard?, ranked: [[TemplateIndex.Candidate]]) {
        self.engine = engine
        self.shard = shard?.description
        results = ranked.map { $0.map { Candidate(person: $0.person, score: $0.score, face: $0.face) } }
    }

    var ranked: [[TemplateIndex.Candidate]] {
        results.map { $0.map { TemplateIndex.Candidate(person: $0.person, score: $0.score, face: $0.face) } }
    }
}
