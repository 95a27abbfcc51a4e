import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Visage
@testable import VisageGallery
@testable import VisageGalleryServer

/// The web page end to end: the service on a free loopback port, the page in headless Chromium driven as a user
/// drives it (keyboard, mouse, the file chooser), and the store read back.
@Suite("Gallery web page in headless Chromium", .serialized, .enabled(if: HeadlessChromium.executable != nil))
struct GalleryPageTests {
    static let key = "page-key"

    /// The text of the identification results the page shows, per face: the decision shown and each candidate's
    /// person, score and whether it is marked accepted.
    struct ShownFace: Decodable, Equatable {
        var decision: String
        var candidates: [[String]]
    }

    static let shownFaces = """
        JSON.stringify([...document.querySelectorAll('#matches .face-result')].map(face => ({
          decision: face.querySelector('.decision strong').textContent,
          candidates: [...face.querySelectorAll('.candidate')].map(c => [c.querySelector('.person').textContent,
            c.querySelector('.score').textContent, c.classList.contains('accepted') ? 'accepted' : 'below'])
        })))
        """

    @Test("Type the key, choose a photo and see its matches with crops and scores; name a cluster and the store has it")
    func drivePage() async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photos = try GalleryFixtures.writePhotos(4, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, keepPhotos: true)
        try store.setThreshold(0.5, origin: "test", for: "tiny-a")
        let pipeline = try GalleryFixtures.pipeline()
        let people = ["person-0": "Ann", "person-1": "Bob"]
        _ = try GalleryFixtures.enroller(store, pipeline: pipeline)
            .enroll(PhotoList(photos.map(\.path)), person: { GalleryFixtures.folderName($0).flatMap { people[$0] } },
                    showProgress: false)
        // Faces 3 and 4, enrolled without a person, as `visage gallery cluster` would have grouped them.
        try store.setClusters([3: 4, 4: 4], engine: "tiny-a", algorithm: "test")
        let worker = try GalleryWorker(store: store, aligned: true) { try GalleryFixtures.pipeline() }
        let app = Application(router: GalleryService.router(worker: worker, apiKey: Self.key))
        try await app.test(.live) { client in
            let browser = try HeadlessChromium(executable: HeadlessChromium.executable!, folder: folder)
            do {
                try await Self.drive(browser, port: try #require(client.port), photo: photos[1], store: store)
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    static func drive(_ browser: HeadlessChromium, port: Int, photo: URL, store: GalleryStore) async throws {
        try await browser.open("http://localhost:\(port)/")
        try await browser.waitFor("document.readyState === 'complete' && document.querySelector('#api-key')")

        // A wrong key is refused with the service's message; the right one lists the people and clusters.
        try await browser.type("wrong", into: "#api-key")
        try await browser.click("#save-key")
        try await browser.waitFor("document.querySelector('#status.error')?.textContent.includes('wrong API key')")
        _ = try await browser.evaluate("document.querySelector('#api-key').value = ''")
        try await browser.type(key, into: "#api-key")
        try await browser.click("#save-key")
        try await browser.waitFor("document.querySelector('#status').textContent === 'key accepted'")
        try await browser.waitFor("document.querySelectorAll('#people .person').length === 2"
            + " && document.querySelector('.cluster[data-label=\"4\"]')")
        let names = try await browser.evaluate("[...document.querySelectorAll('#people .person-name')].map(b => b.textContent)")
        #expect(names as? [String] == ["Ann", "Bob"])

        // Bob's photo through the file chooser: found as Bob, with both people's crops and scores.
        try await browser.choose(photo, in: "#photo")
        try await browser.waitFor("document.querySelectorAll('#matches .candidate .crop img').length === 2"
            + " && [...document.querySelectorAll('#matches .candidate .crop img')].every(i => i.complete && i.naturalWidth > 0)")
        let text = try #require(try await browser.evaluate(shownFaces) as? String)
        let shown = try JSONDecoder().decode([ShownFace].self, from: Data(text.utf8))
        #expect(shown.count == 1 && shown.first?.decision == "Bob")
        #expect(shown.first?.candidates.first == ["Bob", "1.0000", "accepted"])
        #expect(shown.first?.candidates.map { $0[0] } == ["Bob", "Ann"])
        if let ann = shown.first?.candidates.last, let score = Double(ann[1]) {
            #expect(ann[2] == (score >= 0.5 ? "accepted" : "below"))
        }
        let summary = try await browser.evaluate("document.querySelector('#identify-summary').textContent") as? String
        #expect(summary == "1 face(s) in photo-1.png; tiny-a, open-set threshold 0.5000")

        // Naming cluster 4 on the page assigns its two faces to Carol in the store.
        try await browser.type("Carol", into: ".cluster[data-label=\"4\"] .cluster-name")
        try await browser.click(".cluster[data-label=\"4\"] .name-cluster")
        try await browser.waitFor("document.querySelector('#status').textContent.includes('2 face(s) now belong to Carol')"
            + " && !document.querySelector('.cluster[data-label=\"4\"]')"
            + " && document.querySelector('#people .person[data-name=\"Carol\"]')")
        #expect(try store.people().map { "\($0.name) \($0.faces)" } == ["Ann 1", "Bob 1", "Carol 2"])
        #expect(try store.clusters().isEmpty)
    }

    /// A running `visage gallery serve` to photograph: its address and key, the photo to identify on the page, and
    /// the PNG to write (`VISAGE_PAGE_URL`, `VISAGE_PAGE_KEY`, `VISAGE_PAGE_PHOTO`, `VISAGE_PAGE_SCREENSHOT`, as
    /// scripts/experiments/gallery-page-screenshot.sh sets them); nil when they are not all set.
    static let screenshotSettings: (url: String, key: String, photo: URL, out: URL)? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["VISAGE_PAGE_URL"], let key = environment["VISAGE_PAGE_KEY"],
              let photo = environment["VISAGE_PAGE_PHOTO"], let out = environment["VISAGE_PAGE_SCREENSHOT"] else { return nil }
        return (url, key, URL(fileURLWithPath: photo), URL(fileURLWithPath: out))
    }()

    @Test("A screenshot of the page identifying a photo on a running service", .enabled(if: screenshotSettings != nil))
    func screenshot() async throws {
        let settings = try #require(Self.screenshotSettings)
        let folder = try GalleryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let browser = try HeadlessChromium(executable: HeadlessChromium.executable!, folder: folder)
        do {
            try await browser.open(settings.url)
            try await browser.waitFor("document.readyState === 'complete' && document.querySelector('#api-key')")
            try await browser.type(settings.key, into: "#api-key")
            try await browser.click("#save-key")
            try await browser.waitFor("document.querySelector('#status').textContent === 'key accepted'"
                + " && document.querySelectorAll('#people .person').length > 0")
            try await browser.choose(settings.photo, in: "#photo")
            let loaded = "[...document.querySelectorAll('.crop')].every(c => c.classList.contains('no-crop')"
                + " || (c.querySelector('img')?.complete && c.querySelector('img').naturalWidth > 0))"
            try await browser.waitFor("document.querySelectorAll('#matches .candidate').length > 0 && \(loaded)", timeout: 120)
            try await browser.click("#people .person-name")
            try await browser.waitFor("document.querySelectorAll('#person-faces .crop').length > 0 && \(loaded)")
            try await browser.screenshot().write(to: settings.out)
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }
}
