import Hummingbird

/// What `POST /enroll` answers.
struct EnrollResponse: ResponseCodable, Equatable {
    var stored: Bool
    var faces: Int
    /// The stored photo with the same bytes, when the upload was a duplicate.
    var duplicateOf: String?
}

/// What `POST /identify` answers.
struct IdentifyResponse: ResponseCodable, Equatable {
    struct Candidate: Codable, Equatable {
        var person: String
        var score: Double
        /// The person's face whose template scored best (`GET /faces/{face}/crop` shows it).
        var face: Int64
    }
    struct Face: Codable, Equatable {
        var box: [Int]
        /// The person, or nil (JSON null) for unknown.
        var decision: String?
        var candidates: [Candidate]

        init(box: [Int], decision: String?, candidates: [Candidate]) {
            self.box = box
            self.decision = decision
            self.candidates = candidates
        }

        private enum CodingKeys: String, CodingKey { case box, decision, candidates }

        // "decision": null says "unknown" explicitly, instead of leaving the key out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(box, forKey: .box)
            try container.encode(decision, forKey: .decision)
            try container.encode(candidates, forKey: .candidates)
        }
    }
    var engine: String
    var threshold: Double
    var faces: [Face]
}

/// What `POST /verify` answers.
struct VerifyResponse: ResponseCodable, Equatable {
    var person: String
    var score: Double
    var threshold: Double
    var samePerson: Bool
}

/// One entry of `GET /people`.
struct PersonResponse: ResponseCodable, Equatable {
    var name: String
    var faces: Int
}

/// One face of `GET /faces?person=NAME`.
struct FaceResponse: ResponseCodable, Equatable {
    var face: Int64
    /// The path or upload name of the face's photo.
    var photo: String
    /// Whether the photo was kept, so that `GET /faces/{face}/crop` can show the face.
    var kept: Bool
}

/// One entry of `GET /clusters`: a group of faces assigned to nobody, as `visage gallery cluster` made it.
struct ClusterResponse: ResponseCodable, Equatable {
    var label: Int
    var faces: [Int64]
}

/// What `POST /clusters/{label}/name` answers.
struct NamedClusterResponse: ResponseCodable, Equatable {
    var label: Int
    var person: String
    /// The faces assigned to the person.
    var faces: Int
}

/// The body of `POST /migrate`, with the options of `visage gallery migrate`.
struct MigrateRequest: Codable, Equatable {
    /// The new engine: a catalogue name or a model file on the server.
    var to: String
    /// auto (the default), reextract or transform.
    var method: String?
    /// A cross-model transformer file on the server, from the gallery's engine to the new one.
    var transformer: String?
    /// The transformer's measured top-1 identification accuracy (a fraction), recorded with its templates.
    var transformerTop1: Double?
    /// fp32 (the default), bf16 or int8: the new engine's arithmetic from then on.
    var precision: String?
    /// A folder of aligned faces on the server that calibrates bf16 and int8.
    var calibration: String?
    /// Faces used from the calibration folder (default 256).
    var calibrationFaces: Int?
    /// The lowest mean cosine to fp32 accepted on the calibration faces (default 0.98).
    var precisionTolerance: Double?
}

/// What `POST /migrate` answers once the migration is done.
struct MigrateResponse: ResponseCodable, Equatable {
    var from: String
    var to: String
    var reextracted: Int
    var transformed: Int
    var seconds: Double
}
