import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Visage
@testable import VisageGallery
@testable import VisageGalleryServer

/// The HTTP API through Hummingbird's test client: uploads, JSON answers, JSON errors, the API key.
@Suite("Gallery service")
struct GalleryServiceTests {
    static let key = "test-key"

    /// A worker over a new gallery in `folder` or PostgreSQL (aligned uploads, the tiny model).
    static func worker(in folder: URL, _ backend: GalleryBackend) throws -> GalleryWorker {
        let store = try GalleryFixtures.gallery(in: folder, backend)
        try store.setThreshold(0.5, origin: "test", for: "tiny-a")
        return try GalleryWorker(store: store, aligned: true) { try GalleryFixtures.pipeline() }
    }

    static func body(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    static func json<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: buffer))
    }

    static func errorMessage(_ buffer: ByteBuffer) -> String? {
        struct Body: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
        return try? json(Body.self, buffer).error.message
    }

    @Test("Enroll an upload, identify it back as its person, verify; a re-upload is a duplicate", arguments: GalleryBackend.available)
    func enrollIdentifyVerify(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(2, in: folder.appendingPathComponent("photos"))
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder, backend), apiKey: Self.key))
        let headers: HTTPFields = [HTTPField.Name("x-api-key")!: Self.key]
        try await app.test(.router) { client in
            try await client.execute(uri: "/enroll?person=Ann&name=ann.png", method: .post, headers: headers,
                                     body: Self.body(bytes[0])) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let answer = try Self.json(EnrollResponse.self, response.body)
                #expect(answer == EnrollResponse(stored: true, faces: 1, duplicateOf: nil))
            }
            try await client.execute(uri: "/enroll?person=Bob&name=bob.png", method: .post, headers: headers,
                                     body: Self.body(bytes[1])) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/enroll?person=Ann&name=again.png", method: .post, headers: headers,
                                     body: Self.body(bytes[0])) { response in
                let answer = try Self.json(EnrollResponse.self, response.body)
                #expect(answer.duplicateOf == "ann.png")
            }
            try await client.execute(uri: "/identify?top_k=2", method: .post, headers: headers,
                                     body: Self.body(bytes[1])) { response in
                let answer = try Self.json(IdentifyResponse.self, response.body)
                #expect(answer.faces.count == 1 && answer.faces[0].decision == "Bob")
                #expect(answer.faces[0].candidates.map(\.person) == ["Bob", "Ann"])
                #expect(abs(answer.faces[0].candidates[0].score - 1) < 1e-5)
            }
            try await client.execute(uri: "/verify?person=Ann", method: .post, headers: headers,
                                     body: Self.body(bytes[1])) { response in
                let answer = try Self.json(VerifyResponse.self, response.body)
                #expect(answer.person == "Ann" && answer.samePerson == (answer.score >= answer.threshold))
            }
            try await client.execute(uri: "/people", method: .get, headers: headers) { response in
                let people = try Self.json([PersonResponse].self, response.body)
                #expect(people == [.init(name: "Ann", faces: 1), .init(name: "Bob", faces: 1)])
            }
        }
    }

    @Test("Requests without the right API key, empty, non-image and oversized uploads get a 4xx with a JSON message", arguments: GalleryBackend.available)
    func refusals(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder, backend), apiKey: Self.key))
        let headers: HTTPFields = [HTTPField.Name("x-api-key")!: Self.key]
        try await app.test(.router) { client in
            try await client.execute(uri: "/people", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.errorMessage(response.body)?.contains("API key") == true)
            }
            try await client.execute(uri: "/people", method: .get, headers: [HTTPField.Name("x-api-key")!: "wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/enroll?name=e.png", method: .post, headers: headers, body: Self.body([])) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorMessage(response.body) == "e.png: the file is empty")
            }
            try await client.execute(uri: "/enroll?name=notes.png", method: .post, headers: headers,
                                     body: Self.body(Array("not an image".utf8))) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(Self.errorMessage(response.body)?.contains("notes.png") == true)
            }
            let huge = [UInt8](repeating: 0, count: GalleryService.maxUploadBytes + 1)
            try await client.execute(uri: "/enroll?name=big.png", method: .post, headers: headers, body: Self.body(huge)) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: "/identify", method: .post, headers: headers, body: Self.body([1])) { response in
                #expect(response.status == .conflict)
                #expect(Self.errorMessage(response.body) == "the gallery has nobody enrolled yet")
            }
            try await client.execute(uri: "/identify?top_k=0", method: .post, headers: headers, body: Self.body([1])) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/verify", method: .post, headers: headers, body: Self.body([1])) {
                #expect($0.status == .badRequest)
            }
            let counts = try GalleryStore.open(GalleryFixtures.location(in: folder, backend)).counts()
            #expect(counts.photos == 0)
        }
    }

    @Test("Two service instances on one gallery: each identifies the people the other enrolled, each photo stored once",
          arguments: GalleryBackend.available)
    func twoInstances(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(3, in: folder.appendingPathComponent("photos"))
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let first = try Self.worker(in: folder, backend)
        // The second instance opens the same gallery with its own connections, as another process would.
        let location = try GalleryFixtures.location(in: folder, backend)
        let second = try GalleryWorker(store: try GalleryStore.open(location), aligned: true) { try GalleryFixtures.pipeline() }
        _ = try await first.enroll(bytes[0], name: "ann.png", person: "Ann")
        #expect(try await second.identify(bytes[0], name: "probe", topK: 1).faces[0].decision == "Ann")
        _ = try await second.enroll(bytes[1], name: "bob.png", person: "Bob")
        // The first instance's index was built before Bob was enrolled elsewhere: it is reloaded.
        #expect(try await first.identify(bytes[1], name: "probe", topK: 1).faces[0].decision == "Bob")
        #expect(try await second.enroll(bytes[0], name: "ann-again.png", person: "Ann").duplicateOf == "ann.png")
        #expect(try await first.people().map(\.name) == ["Ann", "Bob"])
    }
}
