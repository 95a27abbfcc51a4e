import Foundation
import HTTPTypes
import Hummingbird

/// The gallery's HTTP API and its web page. A photo is uploaded as the request body or as the `file` part of a
/// `multipart/form-data` form (whose text fields stand for the query parameters); every API request needs the
/// service's API key in the `x-api-key` header; errors are JSON (`{"error": {"message": …}}`) with a 4xx status
/// naming what was wrong. `openapi.json` (served at `/openapi.json`) describes every route.
///
/// - `GET /people`: the people and their face counts; `GET /faces?person=NAME`: a person's faces.
/// - `POST /enroll?person=NAME&name=FILE`: store the photo (its largest face as NAME).
/// - `POST /identify?top_k=5`: the top-k people and a decision (a person, or null for unknown) per face.
/// - `POST /verify?person=NAME`: whether the photo's largest face is NAME.
/// - `POST /search` (JSON `{"engine": STAMP, "templates": [[…]], "top_k": 5}`): the best people for templates
///   rather than a photo, in this instance's templates (its shard's when it serves one): what a coordinator asks
///   each shard instance.
/// - `GET /clusters`, `POST /clusters/{label}/name?person=NAME`: the clusters of unassigned faces; name one.
/// - `GET /faces/{face}/crop`: the face cut from its kept photo, as PNG.
/// - `POST /migrate` (JSON `{"to": ENGINE, "method": …, "transformer": FILE, "precision": …, "calibration": FOLDER}`):
///   move to another engine, at a precision, synchronously.
/// - `GET /`, `/app.js`, `/style.css`, `/openapi.json`: the web page and the description, without a key (the page
///   asks for the key and sends it with its requests).
public enum GalleryService {
    /// The largest upload accepted.
    public static let maxUploadBytes = 20 << 20

    /// The API's router over `worker`, guarded by `apiKey`.
    public static func router(worker: GalleryWorker, apiKey: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        for asset in WebAssets.all {
            router.get(RouterPath(asset.path)) { _, _ in asset.response() }
        }
        let api = router.group().add(middleware: APIKeyMiddleware(key: apiKey))
        api.get("/people") { _, _ in try await worker.people() }
        api.get("/faces") { request, _ in
            guard let person = request.uri.queryParameters["person"].map(String.init) else {
                throw HTTPError(.badRequest, message: "faces needs ?person=NAME")
            }
            return try await worker.faces(of: person)
        }
        api.get("/faces/{face}/crop") { _, context in
            let id = try context.parameters.require("face", as: Int64.self)
            return Response(status: .ok, headers: [.contentType: "image/png"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try await worker.faceCrop(id))))
        }
        api.post("/enroll") { request, _ in
            let upload = try await PhotoUpload.read(request, maxBytes: maxUploadBytes)
            let name = upload.parameter("name", of: request) ?? upload.filename ?? "upload-\(UUID().uuidString)"
            return try await worker.enroll(upload.bytes, name: name, person: upload.parameter("person", of: request))
        }
        api.post("/identify") { request, _ in
            let upload = try await PhotoUpload.read(request, maxBytes: maxUploadBytes)
            let topK = try upload.parameter("top_k", of: request).map { text in
                guard let value = Int(text), value > 0 else {
                    throw HTTPError(.badRequest, message: "top_k must be a positive integer, got '\(text)'")
                }
                return value
            } ?? 5
            return try await worker.identify(upload.bytes, name: upload.filename ?? "upload", topK: topK)
        }
        api.post("/search") { request, context in
            try await worker.search(try await request.decode(as: ShardSearchRequest.self, context: context))
        }
        api.post("/verify") { request, _ in
            let upload = try await PhotoUpload.read(request, maxBytes: maxUploadBytes)
            guard let person = upload.parameter("person", of: request) else {
                throw HTTPError(.badRequest, message: "verify needs ?person=NAME")
            }
            return try await worker.verify(upload.bytes, name: upload.filename ?? "upload", person: person)
        }
        api.get("/clusters") { _, _ in try await worker.clusters() }
        api.post("/clusters/{label}/name") { request, context in
            let label = try context.parameters.require("label", as: Int.self)
            guard let person = request.uri.queryParameters["person"].map(String.init) else {
                throw HTTPError(.badRequest, message: "naming a cluster needs ?person=NAME")
            }
            return try await worker.nameCluster(label, as: person)
        }
        api.post("/migrate") { request, context in
            let migration = try await request.decode(as: MigrateRequest.self, context: context)
            return try await worker.migrate(migration)
        }
        return router
    }

    /// Serves the API on `host`:`port` until the process is stopped (SIGINT or SIGTERM end it gracefully).
    public static func run(worker: GalleryWorker, apiKey: String, host: String, port: Int) async throws {
        let app = Application(router: router(worker: worker, apiKey: apiKey),
                              configuration: .init(address: .hostname(host, port: port), serverName: "visage-gallery"))
        try await app.runService()
    }
}

/// Refuses every request whose `x-api-key` header is not the service's key.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let given = request.headers[HTTPField.Name("x-api-key")!], given == key else {
            throw HTTPError(.unauthorized, message: "missing or wrong API key (send it in the x-api-key header)")
        }
        return try await next(request, context)
    }
}

/// Answers an error that carries no HTTP status with a 500 whose JSON message says what failed, instead of an
/// empty body.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            throw HTTPError(.internalServerError, message: "\(error)")
        }
    }
}
