import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import VisageGallery

/// The service instances that each serve one shard of a gallery (`visage gallery serve --shard I/N`), as a
/// coordinator sees them: every identify asks all of them at once (`POST /search`) and merges their top-k lists
/// (``ShardedTemplateIndex/merge(_:k:)``, which equals one search over all the templates). A shard that cannot be
/// reached or refuses fails the request with a 502 naming it: an answer is never made from some shards only.
public struct ShardInstances: Sendable {
    /// The instances' base addresses, such as `http://10.0.0.2:8080`.
    public let urls: [URL]
    let apiKey: String
    /// Seconds one shard may take to answer.
    let timeout: TimeInterval

    /// The instances at `addresses`, asked with `apiKey` (the key they serve with).
    /// - Throws: ``GalleryError`` for no address, or one that is not an http(s) URL with a host.
    public init(_ addresses: [String], apiKey: String, timeout: TimeInterval = 30) throws {
        guard !addresses.isEmpty else { throw GalleryError("a coordinator needs at least one shard instance's address") }
        urls = try addresses.map { address in
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw GalleryError("'\(address)' is not a shard instance's address: write http://HOST:PORT")
            }
            return url
        }
        self.apiKey = apiKey
        self.timeout = timeout
    }

    /// The `k` best people for each of `probes` (templates of `engine`) over every shard, best first.
    func rank(_ probes: [[Float]], engine: String, k: Int) async throws -> [[TemplateIndex.Candidate]] {
        let body = try JSONEncoder().encode(ShardSearchRequest(engine: engine, templates: probes, topK: k))
        let perShard = try await withThrowingTaskGroup(of: [[TemplateIndex.Candidate]].self) { group in
            for url in urls {
                group.addTask { try await search(url, body: body, engine: engine, probes: probes.count) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        return ShardedTemplateIndex.merge(perShard: perShard, probes: probes.count, k: k)
    }

    private func search(_ base: URL, body: Data, engine: String, probes: Int) async throws -> [[TemplateIndex.Candidate]] {
        var request = URLRequest(url: base.appendingPathComponent("search"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(apiKey, forHTTPHeaderField: "x-api-key")
        request.httpBody = body
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw HTTPError(.badGateway, message: "shard instance \(base) did not answer: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error.message
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw HTTPError(.badGateway, message: "shard instance \(base) answered \(status): \(message)")
        }
        let answer: ShardSearchResponse
        do {
            answer = try JSONDecoder().decode(ShardSearchResponse.self, from: data)
        } catch {
            throw HTTPError(.badGateway, message: "shard instance \(base) answered what is not a search result: \(error)")
        }
        guard answer.engine == engine, answer.results.count == probes else {
            throw HTTPError(.badGateway, message: "shard instance \(base) answered \(answer.results.count) results of "
                + "\(answer.engine) for \(probes) probes of \(engine)")
        }
        return answer.ranked
    }

    /// The JSON error body every instance answers a refusal with.
    private struct ErrorBody: Decodable {
        struct Message: Decodable { var message: String }
        var error: Message
    }
}
