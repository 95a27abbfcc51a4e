import Foundation
import Testing
@testable import Visage

@Suite("Photo lists")
struct PhotoListTests {
    @Test("Folders are searched recursively in byte order; files are named by file name; symlink cycles are listed once")
    func listing() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let photos = root.appendingPathComponent("photos")
        for path in ["b.jpg", "a.png", "notes.txt", "trip/c.JPG", ".hidden/d.png"] {
            try DataFixtures.write("x", to: path, in: photos)
        }
        try FileManager.default.createSymbolicLink(at: photos.appendingPathComponent("trip/loop"),
                                                   withDestinationURL: photos)
        let single = try DataFixtures.write("x", to: "single.jpg", in: root)
        let list = try PhotoList([photos.path, single.path])
        #expect(list.photos.map(\.name) == ["photos/a.png", "photos/b.jpg", "photos/trip/c.JPG", "single.jpg"])
    }

    @Test("A missing path or no image at all is refused naming it")
    func refusals() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = #expect(throws: DataFileError.self) { try PhotoList([root.appendingPathComponent("none").path]) }
        #expect(missing!.message.contains("no such file"))
        try DataFixtures.write("x", to: "readme.txt", in: root)
        let empty = #expect(throws: DataFileError.self) { try PhotoList([root.path]) }
        #expect(empty!.message.contains("holds no image"))
    }
}
