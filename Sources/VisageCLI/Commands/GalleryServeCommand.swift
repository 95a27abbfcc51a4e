import ArgumentParser
import Foundation
import Visage
import VisageGallery
import VisageGalleryServer

/// `visage gallery serve`: the gallery's HTTP API.
struct GalleryServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the gallery over HTTP and its web page: enroll, identify, verify, people, clusters, migrate.",
        discussion: """
            A photo is the request body or the 'file' part of a multipart/form-data form (whose text fields stand \
            for the query parameters). Every API request needs the API key in the x-api-key header; the web page \
            at / (and /app.js, /style.css, /openapi.json) is served without it and asks for the key, which it \
            keeps in the browser tab's sessionStorage. Routes (described in /openapi.json): GET /people; \
            GET /faces?person=NAME; GET /faces/ID/crop (PNG, when photos are kept); \
            POST /enroll?person=NAME&name=FILE; POST /identify?top_k=5; POST /verify?person=NAME; GET /clusters; \
            POST /clusters/LABEL/name?person=NAME; POST /migrate with JSON {"to": ENGINE, "method": ..., \
            "transformer": FILE} (synchronous). Errors are JSON ({"error": {"message": ...}}): 401 without the \
            key, 400 for an empty upload or malformed multipart, 413 over 20 MiB, 415 for what is not an image, \
            422 for a photo without a face, 404 for an unknown person, cluster or face.
            """)

    @OptionGroup var file: GalleryFileOption

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "The API key clients must send; default: the VISAGE_GALLERY_API_KEY environment variable.")
    var apiKey: String?

    @Flag(help: "Uploads are ArcFace-aligned 112×112 crops (no detection).")
    var aligned = false

    @Option(help: "Times to double each photo before detection.")
    var upsample = 1

    @OptionGroup var search: SearchIndexOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535, got \(port)") }
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
    }

    func run() async throws {
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["VISAGE_GALLERY_API_KEY"], !key.isEmpty else {
            throw ValidationError("give --api-key or set VISAGE_GALLERY_API_KEY: the service refuses requests without it")
        }
        let store = try file.open()
        let aligned = self.aligned, upsample = self.upsample
        let worker = try GalleryWorker(store: store, aligned: aligned, indexKind: search.index,
                                       indexParameters: search.tuning.parameters) {
            try FacePipeline(model: store.loadModel(), finder: aligned ? nil : FaceFinder.load(upsample: upsample))
        }
        // Written unbuffered, so that a caller reading the output sees it before the first request.
        FileHandle.standardOutput.write(Data("serving \(store.location) (\(try store.engine().stamp)) on http://\(host):\(port)\n".utf8))
        try await GalleryService.run(worker: worker, apiKey: key, host: host, port: port)
    }
}
