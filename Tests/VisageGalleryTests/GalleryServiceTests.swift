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

    /// A worker over a new gallery in `folder` or PostgreSQL (aligned uploads, the tiny model); a migration may
    /// move it to "tiny-b", the tiny model of seed 2.
    static func worker(in folder: URL, _ backend: GalleryBackend = .sqlite, keepPhotos: Bool = false) throws -> GalleryWorker {
        let store = try GalleryFixtures.gallery(in: folder, backend, keepPhotos: keepPhotos)
        try store.setThreshold(0.5, origin: "test", for: "tiny-a")
        return try GalleryWorker(store: store, aligned: true, loadModel: { name in
            guard name == "tiny-b" else { throw GalleryError("no engine named '\(name)'") }
            return GalleryFixtures.model("tiny-b", seed: 2)
        }) { try GalleryFixtures.pipeline() }
    }

    static func body(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    static let boundary = "----visage-test-7d1f"

    /// A `multipart/form-data` body as a browser sends it: the text fields, then `file` (when given) as a file part.
    static func form(file: [UInt8]?, filename: String = "photo.png", fields: [(String, String)] = []) -> ByteBuffer {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            bytes += Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: image/png\r\n\r\n").utf8) + file + Array("\r\n".utf8)
        }
        return ByteBuffer(bytes: bytes + Array("--\(boundary)--\r\n".utf8))
    }

    static let formHeaders: HTTPFields = [
        HTTPField.Name("x-api-key")!: key, .contentType: "multipart/form-data; boundary=\(boundary)",
    ]

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
                #expect(answer.faces[0].candidates.map(\.face) == [2, 1])
                #expect(abs(answer.faces[0].candidates[0].score - 1) < 1e-5)
            }
            try await client.execute(uri: "/verify?person=Ann", method: .post, headers: headers,
                                     body: Self.body(bytes[1])) { response in
                let answer = try Self.json(VerifyResponse.self, response.body)
                #expect(answer.person == "Ann" && answer.samePerson == (answer.score >= answer.threshold))
            }
            try await client.execute(uri: "/verify?person=Zed", method: .post, headers: headers,
                                     body: Self.body(bytes[1])) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorMessage(response.body) == "no person named 'Zed'")
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

    @Test("Multipart uploads enroll, identify and verify as raw bodies do; text fields stand for query parameters", arguments: GalleryBackend.available)
    func multipartUploads(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(2, in: folder.appendingPathComponent("photos"))
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder, backend), apiKey: Self.key))
        try await app.test(.router) { client in
            try await client.execute(uri: "/enroll", method: .post, headers: Self.formHeaders,
                                     body: Self.form(file: bytes[0], filename: "ann.png", fields: [("person", "Ann")])) {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
                let answer = try Self.json(EnrollResponse.self, $0.body)
                #expect(answer == EnrollResponse(stored: true, faces: 1, duplicateOf: nil))
            }
            try await client.execute(uri: "/enroll?person=Bob", method: .post, headers: Self.formHeaders,
                                     body: Self.form(file: bytes[1], filename: "bob.png")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/faces?person=Ann", method: .get, headers: Self.formHeaders) {
                let answer = try Self.json([FaceResponse].self, $0.body)
                #expect(answer == [FaceResponse(face: 1, photo: "ann.png", kept: false)])
            }
            try await client.execute(uri: "/identify", method: .post, headers: Self.formHeaders,
                                     body: Self.form(file: bytes[1], fields: [("top_k", "1")])) { response in
                let answer = try Self.json(IdentifyResponse.self, response.body)
                #expect(answer.faces.map(\.decision) == ["Bob"] && answer.faces[0].candidates.map(\.person) == ["Bob"])
            }
            try await client.execute(uri: "/verify", method: .post, headers: Self.formHeaders,
                                     body: Self.form(file: bytes[1], fields: [("person", "Bob")])) { response in
                let answer = try Self.json(VerifyResponse.self, response.body)
                #expect(answer.person == "Bob" && answer.samePerson && abs(answer.score - 1) < 1e-5)
            }
        }
    }

    /// Posts `body` to /enroll and expects `status` with a JSON message containing `message`.
    static func expectRefusal(_ body: ByteBuffer, headers: HTTPFields = formHeaders, _ status: HTTPResponse.Status,
                              _ message: String, client: some TestClientProtocol) async throws {
        try await client.execute(uri: "/enroll?person=Ann", method: .post, headers: headers, body: body) { response in
            #expect(response.status == status)
            let text = errorMessage(response.body)
            #expect(text?.contains(message) == true, "\(text ?? String(buffer: response.body))")
        }
    }

    @Test("Malformed, fileless, empty, non-image and oversized multipart uploads get a 4xx with a clear JSON message")
    func multipartRefusals() async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder), apiKey: Self.key))
        try await app.test(.router) { client in
            try await Self.expectRefusal(Self.form(file: [1, 2, 3]), headers: [HTTPField.Name("x-api-key")!: Self.key,
                                                                          .contentType: "multipart/form-data"],
                                    .badRequest, "malformed multipart upload: the multipart/form-data content type has no boundary",
                                    client: client)
            try await Self.expectRefusal(ByteBuffer(string: "--elsewhere\r\n"), .badRequest,
                                    "malformed multipart upload: the body does not contain the multipart boundary", client: client)
            try await Self.expectRefusal(Self.form(file: nil, fields: [("person", "Ann")]), .badRequest,
                                    "the multipart upload has no file: send the photo as the part named 'file'", client: client)
            try await Self.expectRefusal(Self.form(file: [], filename: "e.png"), .badRequest, "e.png: the file is empty", client: client)
            try await Self.expectRefusal(Self.form(file: Array("not an image".utf8), filename: "notes.png"), .unsupportedMediaType,
                                    "notes.png", client: client)
            try await Self.expectRefusal(Self.form(file: [UInt8](repeating: 7, count: GalleryService.maxUploadBytes)),
                                    .contentTooLarge, "larger than", client: client)
        }
        #expect(try GalleryStore.open(folder.appendingPathComponent("gallery.sqlite")).counts().photos == 0)
    }

    static let dlibWeights = ["mmod_human_face_detector.dat", "shape_predictor_5_face_landmarks.dat"].allSatisfy {
        FileManager.default.fileExists(atPath: EngineWeights.folder().appendingPathComponent($0).path)
    }

    @Test("A photo without a face, uploaded as a form, gets a 422 naming it", .enabled(if: dlibWeights))
    func facelessUpload() async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try GalleryFixtures.gallery(in: folder)
        let worker = try GalleryWorker(store: store, aligned: false) {
            try FacePipeline(model: GalleryFixtures.model("tiny-a"), finder: FaceFinder.load(upsample: 0))
        }
        let grey = try ImageCodec.encodePNG(Image(width: 80, height: 60, channels: 3, fill: 128))
        let app = Application(router: GalleryService.router(worker: worker, apiKey: Self.key))
        try await app.test(.router) { client in
            try await client.execute(uri: "/enroll", method: .post, headers: Self.formHeaders,
                                     body: Self.form(file: grey, filename: "wall.png")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Self.errorMessage(response.body) == "no face found in wall.png; the photo is recorded")
            }
        }
    }

    @Test("People's faces, clusters listed and named, face crops from kept photos; 404 with a reason otherwise", arguments: GalleryBackend.available)
    func peopleClustersCrops(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(3, in: folder.appendingPathComponent("photos"))
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder, backend, keepPhotos: true),
                                                            apiKey: Self.key))
        let store = try GalleryStore.open(GalleryFixtures.location(in: folder, backend))
        let headers: HTTPFields = [HTTPField.Name("x-api-key")!: Self.key]
        try await app.test(.router) { client in
            for (index, query) in ["?person=Ann&name=ann.png", "?name=x.png", "?name=y.png"].enumerated() {
                try await client.execute(uri: "/enroll\(query)", method: .post, headers: headers, body: Self.body(bytes[index])) {
                    #expect($0.status == .ok)
                }
            }
            try store.setClusters([2: 5, 3: 5], engine: "tiny-a", algorithm: "test")
            try await client.execute(uri: "/clusters", method: .get, headers: headers) {
                let answer = try Self.json([ClusterResponse].self, $0.body)
                #expect(answer == [ClusterResponse(label: 5, faces: [2, 3])])
            }
            try await client.execute(uri: "/clusters/5/name", method: .post, headers: headers) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/clusters/five/name?person=Carol", method: .post, headers: headers) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/clusters/5/name?person=Carol", method: .post, headers: headers) {
                let answer = try Self.json(NamedClusterResponse.self, $0.body)
                #expect(answer == NamedClusterResponse(label: 5, person: "Carol", faces: 2))
            }
            try await client.execute(uri: "/clusters/5/name?person=Carol", method: .post, headers: headers) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorMessage(response.body) == "no cluster 5 (GET /clusters lists them)")
            }
            #expect(try store.people().map { [$0.name, "\($0.faces)"] } == [["Ann", "1"], ["Carol", "2"]])
            // The search index follows the naming: a cluster's face is now found as its person.
            try await client.execute(uri: "/identify?top_k=1", method: .post, headers: headers, body: Self.body(bytes[2])) {
                let answer = try Self.json(IdentifyResponse.self, $0.body)
                #expect(answer.faces.map(\.decision) == ["Carol"])
            }
            try await client.execute(uri: "/faces?person=Carol", method: .get, headers: headers) {
                let answer = try Self.json([FaceResponse].self, $0.body)
                #expect(answer == [.init(face: 2, photo: "x.png", kept: true),
                                                                          .init(face: 3, photo: "y.png", kept: true)])
            }
            try await client.execute(uri: "/faces?person=Zed", method: .get, headers: headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/faces/1/crop", method: .get, headers: headers) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/png")
                let crop = try ImageCodec.decode([UInt8](buffer: response.body))
                // An aligned crop's box is the whole photo: the margin is clipped, the crop is the photo.
                #expect(crop.pixels == (try ImageCodec.decode(bytes[0])).pixels)
            }
            try await client.execute(uri: "/faces/99/crop", method: .get, headers: headers) { response in
                #expect(response.status == .notFound && Self.errorMessage(response.body) == "no face 99")
            }
        }
        let unkept = folder.appendingPathComponent("unkept")
        try FileManager.default.createDirectory(at: unkept, withIntermediateDirectories: true)
        let plain = Application(router: GalleryService.router(worker: try Self.worker(in: unkept), apiKey: Self.key))
        try await plain.test(.router) { client in
            try await client.execute(uri: "/enroll?person=Ann&name=ann.png", method: .post, headers: headers,
                                     body: Self.body(bytes[0])) { #expect($0.status == .ok) }
            try await client.execute(uri: "/faces/1/crop", method: .get, headers: headers) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorMessage(response.body)?.contains("the photo of face 1 (ann.png) was not kept") == true)
            }
        }
    }

    @Test("Migrate over HTTP re-extracts kept photos and the service then searches with the new engine", arguments: GalleryBackend.available)
    func migrate(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(2, in: folder.appendingPathComponent("photos"))
        let calibration = folder.appendingPathComponent("calibration")
        try GalleryFixtures.writePhotos(8, perPerson: 2, in: calibration, seed: 11)
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let app = Application(router: GalleryService.router(worker: try Self.worker(in: folder, backend, keepPhotos: true),
                                                            apiKey: Self.key))
        let store = try GalleryStore.open(GalleryFixtures.location(in: folder, backend))
        try store.setThreshold(0.5, origin: "test", for: "tiny-b")
        let headers: HTTPFields = [HTTPField.Name("x-api-key")!: Self.key, .contentType: "application/json"]
        try await app.test(.router) { client in
            for (index, person) in ["Ann", "Bob"].enumerated() {
                try await client.execute(uri: "/enroll?person=\(person)", method: .post, headers: headers,
                                         body: Self.body(bytes[index])) { #expect($0.status == .ok) }
            }
            for (body, message) in [
                (#"{"to": "tiny-b", "method": "sideways"}"#, "method must be one of auto, reextract, transform, got 'sideways'"),
                (#"{"to": "tiny-b", "method": "transform"}"#, "method transform needs a transformer"),
                (#"{"to": "nope"}"#, "no engine named 'nope'"),
                (#"{"to": "tiny-b", "transformer": "/nowhere/t.safetensors"}"#, "/nowhere/t.safetensors"),
                (#"{"to": "tiny-b", "precision": "int4"}"#, "precision must be one of fp32, bf16, int8, got 'int4'"),
                (#"{"to": "tiny-b", "precision": "int8"}"#, "precision int8 needs calibration"),
                (#"{"to": "tiny-b", "precision": "int8", "calibration": "/nowhere/faces"}"#, "/nowhere/faces"),
            ] {
                try await client.execute(uri: "/migrate", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    #expect($0.status == .badRequest)
                    #expect(Self.errorMessage($0.body)?.contains(message) == true, "\(String(buffer: $0.body))")
                }
            }
            try await client.execute(uri: "/migrate", method: .post, headers: headers, body: ByteBuffer(string: "{")) {
                #expect($0.status == .badRequest)
            }
            #expect(try store.engine().stamp == "tiny-a")
            try await client.execute(uri: "/migrate", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"to": "tiny-b", "method": "reextract"}"#)) { response in
                var answer = try Self.json(MigrateResponse.self, response.body)
                answer.seconds = 0
                #expect(answer == MigrateResponse(from: "tiny-a", to: "tiny-b", reextracted: 2, transformed: 0, seconds: 0))
            }
            #expect(try store.engine().stamp == "tiny-b")
            try await client.execute(uri: "/identify", method: .post, headers: headers, body: Self.body(bytes[1])) { response in
                let answer = try Self.json(IdentifyResponse.self, response.body)
                #expect(answer.engine == "tiny-b" && answer.faces.map(\.decision) == ["Bob"])
            }
            try await client.execute(uri: "/migrate", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"to": "tiny-b"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorMessage(response.body)?.contains("already uses tiny-b") == true)
            }
            // The same engine at int8 is another engine: every face re-extracted, the calibration stored.
            let body = #"{"to": "tiny-b", "precision": "int8", "calibration": "\#(calibration.path)", "precisionTolerance": 0}"#
            try await client.execute(uri: "/migrate", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                let answer = try Self.json(MigrateResponse.self, $0.body)
                #expect(answer.from == "tiny-b" && answer.to == "tiny-b+int8" && answer.reextracted == 2)
            }
            #expect(try store.engine().stamp == "tiny-b+int8" && store.enginePrecision()?.precision == .int8)
            // The service now searches with the int8 engine, at the fp32 engine's threshold until one is calibrated.
            try await client.execute(uri: "/identify", method: .post, headers: headers, body: Self.body(bytes[1])) { response in
                let answer = try Self.json(IdentifyResponse.self, response.body)
                #expect(answer.engine == "tiny-b+int8" && answer.faces.map(\.decision) == ["Bob"])
            }
        }
    }

    @Test("openapi.json describes exactly the routes served, and the key is required exactly where it says so")
    func openAPIMatchesRouter() async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let router = GalleryService.router(worker: try Self.worker(in: folder), apiKey: Self.key)
        let served = Set(router.routes.map { "\($0.method) \($0.path)" })
        let description = try #require(
            try JSONSerialization.jsonObject(with: Data(WebAssets.openAPI.bytes)) as? [String: Any])
        let paths = try #require(description["paths"] as? [String: [String: Any]])
        var described = Set<String>(), open = Set<String>()
        for (path, operations) in paths {
            for (method, operation) in operations {
                described.insert("\(method.uppercased()) \(path)")
                if let security = (operation as? [String: Any])?["security"] as? [Any], security.isEmpty {
                    open.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        #expect(served.subtracting(described).isEmpty, "served but not described: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "described but not served: \(described.subtracting(served).sorted())")
        #expect(open == Set(WebAssets.all.map { "GET \($0.path)" }))
        let routes = described, keyless = open
        try await Application(router: router).test(.router) { client in
            for route in routes.sorted() {
                let parts = route.split(separator: " ")
                let uri = parts[1].replacingOccurrences(of: "{face}", with: "1").replacingOccurrences(of: "{label}", with: "1")
                try await client.execute(uri: uri, method: HTTPRequest.Method(String(parts[0]))!) { response in
                    if keyless.contains(route) {
                        #expect(response.status == .ok, "\(route) without a key")
                    } else {
                        #expect(response.status == .unauthorized, "\(route) without a key")
                    }
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("<script src=\"/app.js\">"))
            }
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
