import Foundation
import Testing
@testable import Visage

@Suite("ImageList")
struct ImageListTests {
    static let url = URL(fileURLWithPath: "/lists/train.txt")

    @Test("paths resolve against the list's folder; absolute paths and spaces are kept")
    func parses() throws {
        let text = "# comment\na/1.png 0\n\n/abs/b 2.png\t3\r\n  c/x.jpg   1  \n"
        let list = try ImageList(parsing: text, url: Self.url)
        #expect(list.entries.map(\.path) == ["a/1.png", "/abs/b 2.png", "c/x.jpg"])
        #expect(list.entries.map(\.url.path) == ["/lists/a/1.png", "/abs/b 2.png", "/lists/c/x.jpg"])
        #expect(list.entries.map(\.label) == [0, 3, 1])
        #expect(list.entries.map(\.line) == [2, 4, 5])
        #expect(list.classCount == 4)
    }

    @Test("bad lines throw naming the line", arguments: [
        ("a.png 0\nb.png\n", 2, "expected 'path label'"),
        ("a.png 0\nb.png x\n", 2, "non-negative integer, found 'x'"),
        ("a.png -1\n", 1, "found '-1'"),
    ])
    func malformed(text: String, line: Int, fragment: String) {
        let error = #expect(throws: DataFileError.self) { try ImageList(parsing: text, url: Self.url) }
        #expect(error?.line == line && error?.file == Self.url.path)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test("missing images are reported with their line")
    func missing() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DataFixtures.write("x", to: "s/here.png", in: folder)
        let url = try DataFixtures.write("s/here.png 0\ns/gone.png 1\ns/also.png 1\n", to: "list.txt", in: folder)
        let list = try ImageList(contentsOf: url)
        #expect(list.missingImages().map(\.line) == [2, 3])
        let error = #expect(throws: DataFileError.self) { try list.checkImagesExist() }
        #expect(error?.line == 2 && error?.message.contains("1 more") == true)
    }
}
