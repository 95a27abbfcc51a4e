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
