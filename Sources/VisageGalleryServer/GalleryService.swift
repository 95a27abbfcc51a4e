import Foundation
import HTTPTypes
import Hummingbird

/// The gallery's HTTP API: photos are uploaded as the request body; every request needs the service's API key in
/// the `x-api-key` header; errors are JSON (`{"error": {"message": …}}`) with a 4xx status naming what was wrong.
///
/// - `GET /people`: the people and their face counts.
/// - `POST /enroll?person=NAME&name=FILE`: store the photo (its largest face as NAME).
/// - `POST /identify?top_k=5`: the top-k people and a decision (a person, or null for unknown) per face.
/// - `POST /verify?person=NAME`: whether the photo's largest face is NAME.
public enum GalleryService {
    /// The largest upload accepted.
    public static let maxUploadBytes = 20 << 20

    /// The API's router over `worker`, guarded by `apiKey`.
    public static func router(worker: GalleryWorker, apiKey: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: APIKeyMiddleware(key: apiKey))
        router.get("/people") { _, _ in try await worker.people() }
        router.post("/enroll") { request, context in
            let name = request.uri.queryParameters["name"].map(String.init) ?? "upload-\(UUID().uuidString)"
            let person = request.uri.queryParameters["person"].map(String.init)
            return try await worker.enroll(try await upload(request), name: name, person: person)
        }
        router.post("/identify") { request, context in
            let topK = try request.uri.queryParameters["top_k"].map { text in
                guard let value = Int(text), value > 0 else {
                    throw HTTPError(.badRequest, message: "top_k must be a positive integer, got '\(text)'")
                }
                return value
            } ?? 5
            return try await worker.identify(try await upload(request), name: "upload", topK: topK)
        }
        router.post("/verify") { request, context in
            guard let person = request.uri.queryParameters["person"].map(String.init) else {
                throw HTTPError(.badRequest, message: "verify needs ?person=NAME")
            }
            return try await worker.verify(try await upload(request), name: "upload", person: person)
        }
        return router
    }

    /// Serves the API on `host`:`port` until the process is stopped (SIGINT or SIGTERM end it gracefully).
    public static func run(worker: GalleryWorker, apiKey: String, host: String, port: Int) async throws {
        let app = Application(router: router(worker: worker, apiKey: apiKey),
                              configuration: .init(address: .hostname(host, port: port), serverName: "visage-gallery"))
        try await app.runService()
    }

    /// The request body, refused when it is larger than ``maxUploadBytes``.
    static func upload(_ request: Request) async throws -> [UInt8] {
        var request = request
        do {
            return [UInt8](buffer: try await request.collectBody(upTo: maxUploadBytes))
        } catch {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxUploadBytes) bytes")
        }
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
