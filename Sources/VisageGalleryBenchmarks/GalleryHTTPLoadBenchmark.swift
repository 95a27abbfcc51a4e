import Foundation
import Visage
import VisageBenchmarks
import VisageGallery

/// `visage bench gallery`'s service half: `visage gallery serve` on loopback, loaded by wrk with identify
/// requests (one photo, again and again) for a bounded time, first alone and then while another client enrolls
/// distinct photos one after another; reports identify requests/s and p99, errors of both clients, and whether the
/// store holds exactly the photos whose enrolls the service accepted.
public struct GalleryHTTPLoadBenchmark: Sendable {
    /// The `visage` executable that serves.
    public let executable: URL
    /// Photos: the first of each folder (person) is enrolled before the load, the last photo is the identify
    /// probe, the rest are enrolled under load (each folder is its person).
    public let photos: PhotoList
    public let engine: String
    /// Seconds of each wrk run.
    public var seconds = 10
    public var connections = 4
    public var wrk = "/usr/bin/wrk"
    public var curl = "/usr/bin/curl"
    public var port = 18_080
    public var showProgress = true

    public init(executable: URL, photos: PhotoList, engine: String) {
        self.executable = executable
        self.photos = photos
        self.engine = engine
    }

    /// One wrk run of identify requests.
    public struct Load: Sendable {
        public var requests: Int
        public var perSecond: Double
        /// Milliseconds.
        public var p50: Double
        public var p99: Double
        /// Non-2xx answers and socket errors (connect, read, write, timeout).
        public var errors: Int
    }

    public struct Result: Sendable {
        public var alone: Load
        public var underEnroll: Load
        /// Enrolls the service stored during the load (with or without a face), and the others: refused, duplicates
        /// or failed at the transport.
        public var enrollsAccepted: Int
        public var enrollErrors: Int
        public var enrollSeconds: Double
        /// Photos in the store after the run, and the photos accepted before and during the load.
        public var storedPhotos: Int
        public var expectedPhotos: Int
    }

    /// Runs `executable` with `arguments`, failing with its error output when it fails.
    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GalleryError("\(executable) \(arguments.prefix(3).joined(separator: " ")) failed: \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// POSTs `file` to `path` of the service: the HTTP status and the body.
    func post(_ file: URL, path: String, key: String) throws -> (status: Int, body: String) {
        let text = try run(curl, ["-s", "-S", "-X", "POST", "-H", "x-api-key: \(key)", "--data-binary", "@\(file.path)",
                                  "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (status, text)
    }

    public func measure() throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-bench-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gallery = folder.appendingPathComponent("gallery.sqlite")
        _ = try run(executable.path, ["gallery", "create", "--gallery", gallery.path, "--engine", engine])
        let key = UUID().uuidString
        let server = Process()
        server.executableURL = executable
        server.arguments = ["gallery", "serve", "--gallery", gallery.path, "--port", "\(port)", "--api-key", key]
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // The service prints its "serving" line once it is about to listen; wait for the port to answer.
        _ = serverOutput.fileHandleForReading.availableData
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? run(curl, ["-s", "-o", "/dev/null", "-H", "x-api-key: \(key)", "http://127.0.0.1:\(port)/people"])) != nil
            if !ready { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard ready else { throw GalleryError("visage gallery serve did not answer on port \(port)") }

        var byPerson: [String: [URL]] = [:]
        for photo in photos.photos.dropLast() {
            byPerson[photo.url.deletingLastPathComponent().lastPathComponent, default: []].append(photo.url)
        }
        let probe = photos.photos.last!.url
        var accepted = 0
        for (person, urls) in byPerson.sorted(by: { $0.key < $1.key }) {
            let answer = try post(urls[0], path: "/enroll?person=\(person)&name=\(person)-seed", key: key)
            guard Self.stored(answer) else { throw GalleryError("enrolling \(urls[0].path) before the load failed: \(answer.body)") }
            accepted += 1
        }
        let script = folder.appendingPathComponent("identify.lua")
        try Data("""
            local file = io.open("\(probe.path)", "rb")
            wrk.method = "POST"
            wrk.body = file:read("*a")
            file:close()
            wrk.headers["x-api-key"] = "\(key)"
            """.utf8).write(to: script)
        func load() throws -> Load {
            try parseWrk(run(wrk, ["-t", "1", "-c", "\(connections)", "-d", "\(seconds)s", "--latency", "--timeout", "30s",
                                   "-s", script.path, "http://127.0.0.1:\(port)/identify?top_k=5"]))
        }
        note("identify alone for \(seconds) s")
        let alone = try load()
        // The enroll client: the photos after each person's first, one request at a time, until wrk is done.
        let queue = byPerson.sorted(by: { $0.key < $1.key }).flatMap { person, urls in urls.dropFirst().map { (person, $0) } }
        let counts = EnrollCounts()
        let done = DispatchSemaphore(value: 0)
        let enrollStart = DispatchTime.now().uptimeNanoseconds
        let client = Thread { [self] in
            for (person, url) in queue where !counts.stop {
                do {
                    let answer = try post(url, path: "/enroll?person=\(person)&name=\(person)-\(url.lastPathComponent)", key: key)
                    counts.record(accepted: Self.stored(answer))
                } catch {
                    counts.record(accepted: false)
                }
            }
            done.signal()
        }
        note("identify for \(seconds) s while another client enrolls")
        client.start()
        let underEnroll = try load()
        counts.stop = true
        done.wait()
        let enrollSeconds = elapsedSeconds(since: enrollStart)
        let stored = try GalleryStore.open(gallery).counts().photos
        return Result(alone: alone, underEnroll: underEnroll, enrollsAccepted: counts.accepted, enrollErrors: counts.errors,
                      enrollSeconds: enrollSeconds, storedPhotos: stored, expectedPhotos: accepted + counts.accepted)
    }

    /// Whether an enroll answer says the photo was stored: 200 with `"stored":true`, or 422 (no face found; the
    /// photo is recorded as faceless).
    static func stored(_ answer: (status: Int, body: String)) -> Bool {
        answer.status == 422 || (answer.status == 200 && answer.body.contains("\"stored\":true"))
    }

    /// Requests, rate, p50/p99 and errors from wrk's `--latency` output.
    func parseWrk(_ text: String) throws -> Load {
        func number(after label: String) -> String? {
            guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) })
            else { return nil }
            return line.trimmingCharacters(in: .whitespaces).dropFirst(label.count).split(separator: " ").first.map(String.init)
        }
        func milliseconds(_ value: String?) -> Double? {
            guard let value else { return nil }
            for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where value.hasSuffix(suffix) {
                return Double(value.dropLast(suffix.count)).map { $0 * scale }
            }
            return nil
        }
        guard let rate = number(after: "Requests/sec:").flatMap(Double.init),
              let requests = text.split(separator: "\n").first(where: { $0.contains("requests in") })
                  .flatMap({ $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first }).flatMap({ Int($0) }),
              let p50 = milliseconds(number(after: "50%")), let p99 = milliseconds(number(after: "99%"))
        else { throw GalleryError("wrk printed no requests/s or latency distribution:\n\(text)") }
        var errors = Int(number(after: "Non-2xx or 3xx responses:") ?? "0") ?? 0
        if let line = text.split(separator: "\n").first(where: { $0.contains("Socket errors:") }) {
            errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
        }
        return Load(requests: requests, perSecond: rate, p50: p50, p99: p99, errors: errors)
    }

    public func report(_ result: Result) -> String {
        func row(_ name: String, _ load: Load) -> String {
            [tableCell(name, 28, left: true), tableCell("\(load.requests)", 9), tableCell(String(format: "%.1f", load.perSecond), 11),
             tableCell(String(format: "%.2f", load.perSecond / result.alone.perSecond), 8), tableCell(String(format: "%.0f", load.p50), 8),
             tableCell(String(format: "%.0f", load.p99), 8), tableCell("\(load.errors)", 7)].joined(separator: " ")
        }
        let lost = result.expectedPhotos - result.storedPhotos
        return [
            "HTTP under load (visage gallery serve on loopback, wrk \(connections) connections × \(seconds) s per run, identify of one photo):",
            [tableCell("identify", 28, left: true), tableCell("requests", 9), tableCell("requests/s", 11), tableCell("×alone", 8),
             tableCell("p50 ms", 8), tableCell("p99 ms", 8), tableCell("errors", 7)].joined(separator: " "),
            row("alone", result.alone),
            row("while another client enrolls", result.underEnroll),
            String(format: "enroll client: %d accepted in %.1f s (%.2f photos/s), %d errors; store holds %d photos, %d expected: %@",
                   result.enrollsAccepted, result.enrollSeconds, Double(result.enrollsAccepted) / result.enrollSeconds,
                   result.enrollErrors, result.storedPhotos, result.expectedPhotos, lost == 0 ? "nothing lost" : "\(lost) LOST"),
        ].joined(separator: "\n")
    }

    private func note(_ line: String) {
        if showProgress { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

/// The enroll client's tallies, shared with the thread that stops it.
final class EnrollCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var _accepted = 0, _errors = 0, _stop = false
    var accepted: Int { lock.withLock { _accepted } }
    var errors: Int { lock.withLock { _errors } }
    var stop: Bool {
        get { lock.withLock { _stop } }
        set { lock.withLock { _stop = newValue } }
    }

    func record(accepted: Bool) {
        lock.withLock { if accepted { _accepted += 1 } else { _errors += 1 } }
    }
}
