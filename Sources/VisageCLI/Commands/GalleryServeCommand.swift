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
            422 for a photo without a face, 404 for an unknown person, cluster or face. \
            Past one machine, with the gallery in PostgreSQL: N instances started with --shard 0/N … N-1/N each \
            load and search only their shard of the templates (POST /search, JSON templates in, top-k out), and a \
            coordinator started with --shard-url for each of them identifies by asking them all at once and \
            merging their top-k (the same answer as one search over every template); every instance shares the \
            API key. A shard that does not answer fails the request with 502 naming it.
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

    @Option(help: ArgumentHelp("Serve shard INDEX/COUNT of the templates (such as 0/4) to a coordinator.",
                               valueName: "INDEX/COUNT"))
    var shard: String?

    @Option(name: .customLong("shard-url"),
            help: ArgumentHelp("Coordinate: identify through the shard instance at this address (http://HOST:PORT); "
                               + "repeat for each shard.", valueName: "URL"))
    var shardURLs: [String] = []

    func validate() throws {
        if shard != nil, !shardURLs.isEmpty {
            throw ValidationError("--shard serves one shard and --shard-url coordinates shards: give one or the other")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535, got \(port)") }
        guard (0...4).contains(upsample) else { throw ValidationError("--upsample must be 0…4, got \(upsample)") }
    }

    func run() async throws {
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["VISAGE_GALLERY_API_KEY"], !key.isEmpty else {
            throw ValidationError("give --api-key or set VISAGE_GALLERY_API_KEY: the service refuses requests without it")
        }
        let store = try file.open()
        let aligned = self.aligned, upsample = self.upsample
        let scope: SearchScope = try shard.map { .shard(try TemplateShard($0)) }
            ?? (shardURLs.isEmpty ? .whole : .coordinator(try ShardInstances(shardURLs, apiKey: key)))
        let worker = try GalleryWorker(store: store, aligned: aligned, indexKind: search.index,
                                       indexParameters: search.tuning.parameters, scope: scope) {
            try FacePipeline(model: store.loadModel(), finder: aligned ? nil : FaceFinder.load(upsample: upsample))
        }
        // Written unbuffered, so that a caller reading the output sees it before the first request.
        let role = switch scope {
        case .whole: ""
        case .shard(let shard): ", shard \(shard)"
        case .coordinator(let instances): ", coordinating \(instances.urls.count) shard instances"
        }
        FileHandle.standardOutput.write(Data("serving \(store.location) (\(try store.engine().stamp)\(role)) on http://\(host):\(port)\n".utf8))
        try await GalleryService.run(worker: worker, apiKey: key, host: host, port: port)
    }
}
