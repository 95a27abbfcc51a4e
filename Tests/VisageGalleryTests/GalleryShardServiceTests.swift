import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Visage
@testable import VisageGallery
@testable import VisageGalleryServer

/// Several service instances on one gallery: shard instances on loopback ports, and a coordinator that fans each
/// identify out to them over HTTP.
@Suite("Gallery shard instances")
struct GalleryShardServiceTests {
    static let key = "shard-key"
    static let headers: HTTPFields = [HTTPField.Name("x-api-key")!: key]

    static func worker(_ location: GalleryLocation, _ scope: SearchScope) throws -> GalleryWorker {
        try GalleryWorker(store: try GalleryStore.open(location), aligned: true, scope: scope) { try GalleryFixtures.pipeline() }
    }

    static func app(_ worker: GalleryWorker) -> Application<RouterResponder<BasicRequestContext>> {
        Application(router: GalleryService.router(worker: worker, apiKey: key))
    }

    static func identify(_ client: some TestClientProtocol, _ photo: [UInt8]) async throws -> (HTTPResponse.Status, ByteBuffer) {
        try await client.execute(uri: "/identify?top_k=3", method: .post, headers: headers, body: ByteBuffer(bytes: photo)) {
            ($0.status, $0.body)
        }
    }

    @Test("A coordinator over two shard instances answers every identify as one instance over the whole gallery does", arguments: GalleryBackend.available)
    func coordinatorMatchesWhole(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(8, perPerson: 2, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, backend)
        try store.setThreshold(0.5, origin: "test", for: "tiny-a")
        _ = try GalleryFixtures.enroller(store, pipeline: try GalleryFixtures.pipeline())
            .enroll(PhotoList(photos.map(\.path)), person: GalleryFixtures.folderName, showProgress: false)
        let location = try GalleryFixtures.location(in: folder, backend)
        let bytes = try photos.map { [UInt8](try Data(contentsOf: $0)) }
        let expected = try await Self.app(try Self.worker(location, .whole)).test(.router) { client in
            var answers: [ByteBuffer] = []
            for photo in bytes {
                let (status, body) = try await Self.identify(client, photo)
                #expect(status == .ok)
                answers.append(body)
            }
            return answers
        }
        let shards = try (0..<2).map { Self.app(try Self.worker(location, .shard(try TemplateShard(index: $0, of: 2)))) }
        try await shards[0].test(.live) { first in
            try await shards[1].test(.live) { second in
                let ports = [try #require(first.port), try #require(second.port)]
                // Each shard instance searches only its own faces.
                for (shard, client) in [(0, first), (1, second)] as [(Int64, any TestClientProtocol)] {
                    let request = ShardSearchRequest(engine: "tiny-a", templates: try store.templates(engine: "tiny-a").map(\.vector),
                                                     topK: 8)
                    try await client.execute(uri: "/search", method: .post, headers: Self.headers,
                                             body: ByteBuffer(bytes: try JSONEncoder().encode(request))) { response in
                        #expect(response.status == .ok, "\(String(buffer: response.body))")
                        let answer = try JSONDecoder().decode(ShardSearchResponse.self, from: Data(buffer: response.body))
                        #expect(answer.shard == "\(shard)/2" && answer.results.count == 8)
                        #expect(answer.results.allSatisfy { $0.allSatisfy { $0.face % 2 == shard } })
                    }
                    let (status, _) = try await Self.identify(client, bytes[0])
                    #expect(status == .conflict)
                }
                let instances = try ShardInstances(ports.map { "http://127.0.0.1:\($0)" }, apiKey: Self.key)
                try await Self.app(try Self.worker(location, .coordinator(instances))).test(.router) { client in
                    for (photo, want) in zip(bytes, expected) {
                        let (status, body) = try await Self.identify(client, photo)
                        #expect(status == .ok)
                        let answer = try JSONDecoder().decode(IdentifyResponse.self, from: Data(buffer: body))
                        #expect(answer == (try JSONDecoder().decode(IdentifyResponse.self, from: Data(buffer: want))))
                        #expect(answer.faces[0].candidates.count == 3)
                    }
                }
            }
        }
    }

    @Test("A shard that does not answer or refuses fails the coordinator's identify with a 502 naming it; /search refuses another engine's templates")
    func refusals() async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        let photos = try GalleryFixtures.writePhotos(2, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder)
        try store.setThreshold(0.5, origin: "test", for: "tiny-a")
        _ = try GalleryFixtures.enroller(store, pipeline: try GalleryFixtures.pipeline())
            .enroll(PhotoList(photos.map(\.path)), person: GalleryFixtures.folderName, showProgress: false)
        let location = try GalleryFixtures.location(in: folder, .sqlite)
        let photo = [UInt8](try Data(contentsOf: photos[0]))
        try await Self.app(try Self.worker(location, .shard(try TemplateShard("0/1")))).test(.live) { shard in
            let port = try #require(shard.port)
            let other = ShardSearchRequest(engine: "tiny-b", templates: [[1, 0]], topK: 1)
            try await shard.execute(uri: "/search", method: .post, headers: Self.headers,
                                    body: ByteBuffer(bytes: try JSONEncoder().encode(other))) { response in
                #expect(response.status == .conflict)
            }
            // Port 1 on loopback has no listener; a wrong key is refused by the live shard.
            for (addresses, key, named) in [(["http://127.0.0.1:\(port)", "http://127.0.0.1:1"], Self.key, "127.0.0.1:1"),
                                            (["http://127.0.0.1:\(port)"], "wrong", "127.0.0.1:\(port)")] {
                let instances = try ShardInstances(addresses, apiKey: key, timeout: 10)
                try await Self.app(try Self.worker(location, .coordinator(instances))).test(.router) { client in
                    let (status, body) = try await Self.identify(client, photo)
                    #expect(status == .badGateway)
                    #expect(String(buffer: body).contains(named), "\(String(buffer: body))")
                }
            }
        }
        #expect(throws: GalleryError.self) { try ShardInstances(["10.0.0.2:8080"], apiKey: Self.key) }
        #expect(throws: GalleryError.self) { try ShardInstances([], apiKey: Self.key) }
    }
}
