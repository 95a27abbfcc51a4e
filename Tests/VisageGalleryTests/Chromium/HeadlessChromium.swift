import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the Chrome DevTools Protocol on a pipe (`--remote-debugging-pipe`: the browser
/// reads commands from its file descriptor 3 and writes replies and events to 4, each message a JSON object ended
/// by a NUL byte), so no port has to be found and no WebSocket client is needed.
final class HeadlessChromium {
    /// The browser to run: `VISAGE_CHROMIUM`, else Debian's `/usr/bin/chromium`; nil when neither is executable.
    static let executable: String? = {
        let candidates = [ProcessInfo.processInfo.environment["VISAGE_CHROMIUM"], "/usr/bin/chromium"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let pid: pid_t
    private let commands: Int32
    private let replies: Int32
    private let profile: URL
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// The page session commands go to, once ``open(_:)`` has attached one.
    private var session: String?

    /// Starts the browser with a new profile in `folder`; its output goes to `folder/chromium.log`.
    init(executable: String, folder: URL) throws {
        profile = folder.appendingPathComponent("profile")
        // A browser that dies must fail the test with a message, not end the test process by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw Failure("pipe() failed: errno \(errno)") }
        // The browser's ends move above 4 first, so that mapping one onto 3 cannot overwrite the other.
        let browserReads = fcntl(toBrowser[0], F_DUPFD, 10), browserWrites = fcntl(fromBrowser[1], F_DUPFD, 10)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        toBrowser[0] = browserReads
        fromBrowser[1] = browserWrites
        let log = Glibc.open(folder.appendingPathComponent("chromium.log").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        let arguments = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--remote-debugging-pipe", "--user-data-dir=\(profile.path)", "--window-size=1280,900", "about:blank",
        ]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
        Glibc.close(log)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard spawned == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw Failure("cannot start \(executable): error \(spawned)")
        }
        pid = child
        commands = toBrowser[1]
        replies = fromBrowser[0]
        // Descriptors 3 and 4 of a later child must not keep these pipes open.
        _ = fcntl(commands, F_SETFD, FD_CLOEXEC)
        _ = fcntl(replies, F_SETFD, FD_CLOEXEC)
    }

    /// Sends `method` (to the attached page unless `browser`) and waits for its result.
    /// - Throws: ``Failure`` with the protocol's error message, or when no answer comes within `timeout` seconds.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], browser: Bool = false, timeout: Double = 60) async throws
        -> [String: Any]
    {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if !browser, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure("\(method): the browser's command pipe is closed (errno \(errno))") }
            written += count
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            while let reply = try nextMessage() {
                guard reply["id"] as? Int == id else { continue }  // events and other replies are not waited for
                if let error = reply["error"] as? [String: Any] {
                    throw Failure("\(method): \(error["message"] ?? error)")
                }
                return reply["result"] as? [String: Any] ?? [:]
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure("\(method): no answer from the browser within \(timeout) s")
    }

    /// The next complete message already sent by the browser, without blocking; nil when none is there yet.
    private func nextMessage() throws -> [String: Any]? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any]
            }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(replies, &chunk, chunk.count)
            guard count > 0 else { throw Failure("the browser closed its DevTools pipe (see chromium.log)") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Opens `url` in a new page and attaches to it; later commands go to that page.
    func open(_ url: String) async throws {
        let target = try await send("Target.createTarget", ["url": "about:blank"], browser: true)
        guard let targetID = target["targetId"] as? String else { throw Failure("Target.createTarget gave no targetId") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true], browser: true)
        session = attached["sessionId"] as? String
        guard session != nil else { throw Failure("Target.attachToTarget gave no sessionId") }
        try await send("Page.enable")
        try await send("Page.navigate", ["url": url])
    }

    /// The value of `expression` evaluated in the page (awaited when it is a promise), as JSON gives it.
    /// - Throws: ``Failure`` with the page's exception.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true,
                                                          "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let detail = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? exception
            throw Failure("\(expression): \(detail)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits until `expression` is true in the page.
    /// - Throws: ``Failure`` naming the condition and `context()`'s account of the page when it stays false.
    func waitFor(_ expression: String, timeout: Double = 60, context: String = "document.body.innerText") async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await evaluate("Boolean(\(expression))") as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let page = (try? await evaluate(context)).map { "\($0 ?? "")" } ?? "?"
        throw Failure("the page did not reach `\(expression)` within \(timeout) s; it shows:\n\(page)")
    }

    /// Clicks the element `selector` with the mouse, at its centre.
    func click(_ selector: String) async throws {
        guard let box = try await evaluate("""
            (() => { const e = document.querySelector(\(Self.quoted(selector))); e.scrollIntoView({block: "center"});
                     const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()
            """) as? [Double], box.count == 2 else { throw Failure("no element \(selector) to click") }
        for type in ["mousePressed", "mouseReleased"] {
            try await send("Input.dispatchMouseEvent", ["type": type, "x": box[0], "y": box[1], "button": "left",
                                                        "clickCount": 1])
        }
    }

    /// Types `text` into the element `selector` as the keyboard would.
    func type(_ text: String, into selector: String) async throws {
        _ = try await evaluate("document.querySelector(\(Self.quoted(selector))).focus()")
        try await send("Input.insertText", ["text": text])
    }

    /// Puts `file` into the file input `selector`, as a user choosing it does (the input's change event fires).
    func choose(_ file: URL, in selector: String) async throws {
        let document = try await send("DOM.getDocument")
        guard let root = (document["root"] as? [String: Any])?["nodeId"] as? Int else { throw Failure("DOM.getDocument gave no root") }
        let node = try await send("DOM.querySelector", ["nodeId": root, "selector": selector])
        guard let id = node["nodeId"] as? Int, id != 0 else { throw Failure("no element \(selector)") }
        try await send("DOM.setFileInputFiles", ["files": [file.path], "nodeId": id])
    }

    /// A PNG of the page as it is shown.
    func screenshot() async throws -> Data {
        let shot = try await send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let text = shot["data"] as? String, let data = Data(base64Encoded: text) else {
            throw Failure("Page.captureScreenshot gave no image")
        }
        return data
    }

    /// `text` as a JavaScript string literal.
    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    /// Closes the browser (killing it when it does not leave within 5 s) and removes its profile.
    func close() async {
        _ = try? await send("Browser.close", browser: true, timeout: 5)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        Glibc.close(commands)
        Glibc.close(replies)
        try? FileManager.default.removeItem(at: profile)
    }
}
