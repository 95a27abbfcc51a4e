import Foundation
import Testing
@testable import Visage

@Suite("Face variation sets")
struct FaceVariationTests {
    /// A two-identity ImageFolder of RGB gradient PNGs, two images each.
    private func folder(in root: URL) throws -> ImageFolder {
        for (identity, shift) in [("Ann", 0), ("Bob", 50)] {
            for k in 1...2 {
                var image = DataFixtures.gradient(width: 48, height: 48, channels: 3)
                image[k, shift % 48, 0] = 255
                try FileManager.default.createDirectory(
                    at: root.appendingPathComponent(identity), withIntermediateDirectories: true)
                try ImageCodec.write(image, to: root.appendingPathComponent("\(identity)/\(identity)_\(k).png"))
            }
        }
        return try ImageFolder(root: root)
    }

    private func files(below url: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for identity in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(identity).path) {
                result["\(identity)/\(file)"] = try Data(contentsOf: url.appendingPathComponent("\(identity)/\(file)"))
            }
        }
        return result
    }

    @Test func sameSeedWritesTheSameSetAndOriginalsUnchanged() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try folder(in: root.appendingPathComponent("in"))
        let variation = try FaceVariation()
        for name in ["a", "b"] {
            let written = try variation.write(source, copies: 3, includeOriginals: true, seed: 7,
                                              to: root.appendingPathComponent(name), progress: false)
            #expect(written == 4 * 4)
        }
        let a = try files(below: root.appendingPathComponent("a"))
        #expect(a.count == 16)
        #expect(a == (try files(below: root.appendingPathComponent("b"))))
        #expect(a["Ann/Ann_1_v0.png"] == (try Data(contentsOf: root.appendingPathComponent("in/Ann/Ann_1.png"))))
        // Copies differ from each other and from the original.
        let copies = Set((0...3).map { a["Bob/Bob_2_v\($0).png"]! })
        #expect(copies.count == 4)
        // Another seed, other copies.
        try variation.write(source, copies: 3, includeOriginals: false, seed: 8,
                            to: root.appendingPathComponent("c"), progress: false)
        let c = try files(below: root.appendingPathComponent("c"))
        #expect(c.count == 12 && c["Bob/Bob_2_v0.png"] == nil)
        #expect(c["Bob/Bob_2_v1.png"] != a["Bob/Bob_2_v1.png"])
    }

    @Test func anExistingFolderIsRefusedAndAFailureLeavesNothing() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try folder(in: root.appendingPathComponent("in"))
        let existing = root.appendingPathComponent("out")
        try DataFixtures.write("keep", to: "note.txt", in: existing)
        #expect(throws: DataError.self) {
            try FaceVariation().write(source, copies: 1, includeOriginals: false, seed: 0, to: existing, progress: false)
        }
        #expect(try String(contentsOf: existing.appendingPathComponent("note.txt"), encoding: .utf8) == "keep")

        // A corrupt image stops the run: no output folder, no staging folder left behind.
        try Data("not a png".utf8).write(to: root.appendingPathComponent("in/Bob/Bob_2.png"))
        let target = root.appendingPathComponent("fresh")
        #expect(throws: (any Error).self) {
            try FaceVariation().write(source, copies: 2, includeOriginals: true, seed: 0, to: target, progress: false)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(left == ["in", "out"])
    }

    @Test func outOfRangeSettingsAreRefused() throws {
        #expect(throws: DataError.self) { try FaceVariation(relightProbability: 1.5) }
        #expect(throws: DataError.self) { try FaceVariation(relightStrength: -0.1) }
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try folder(in: root.appendingPathComponent("in"))
        #expect(throws: DataError.self) {
            try FaceVariation().write(source, copies: 0, includeOriginals: false, seed: 0,
                                      to: root.appendingPathComponent("x"), progress: false)
        }
    }
}
