import Foundation
import Testing
@testable import Visage

@Suite("ImageFolder")
struct ImageFolderTests {
    /// A small data set: identities `b`, `a`, `Z` (unsorted on purpose), an empty folder, a stray root file,
    /// a hidden file, a nested image and a non-image file.
    static func makeFolder() throws -> URL {
        let root = try DataFixtures.temporaryFolder()
        let image = DataFixtures.gradient(width: 4, height: 3)
        for path in ["b/2.png", "b/10.png", "a/x.jpg", "a/nested/y.pgm", "Z/UPPER.PNG"] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ImageCodec.write(image, to: url)
        }
        try DataFixtures.write("not an image", to: "b/notes.txt", in: root)
        try DataFixtures.write("", to: "b/.hidden.png", in: root)
        try DataFixtures.write("", to: "stray.png", in: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        return root
    }

    @Test("scans identities and images in byte order, skipping hidden, stray and non-image files")
    func scan() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try ImageFolder(root: root)
        #expect(folder.classNames == ["Z", "a", "b"])
        #expect(folder.samples.map(\.relativePath) == ["Z/UPPER.PNG", "a/nested/y.pgm", "a/x.jpg", "b/10.png", "b/2.png"])
        #expect(folder.samples.map(\.label) == [0, 1, 1, 2, 2])
        #expect(folder.samples.map(\.identity) == ["Z", "a", "a", "b", "b"])
        #expect(folder.emptyFolders == ["empty"])
        #expect(folder.samples(ofIdentity: "a").map(\.relativePath) == ["a/nested/y.pgm", "a/x.jpg"])
        #expect(folder.samples(ofIdentity: "nobody").isEmpty)
        #expect(try folder.image(at: 1) == DataFixtures.gradient(width: 4, height: 3))
        #expect(folder.count == 5 && folder.name(at: 3) == "b/10.png" && folder.label(at: 3) == 2)
    }

    @Test("subsets are relabelled and name unknown identities")
    func subset() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try ImageFolder(root: root)
        let part = try folder.subset(identities: ["b", "Z"])
        #expect(part.classNames == ["Z", "b"])
        #expect(part.samples.map(\.label) == [0, 1, 1])
        #expect(throws: DataError.invalidArgument("\(folder.root.path) has no identity q")) {
            try folder.subset(identities: ["a", "q"])
        }
    }

    @Test("validation fails on the first bad file or reports them all")
    func validation() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try DataFixtures.write("garbage", to: "a/broken.png", in: root)
        try DataFixtures.write("", to: "b/empty.jpg", in: root)
        let folder = try ImageFolder(root: root)
        let error = #expect(throws: ImageError.self) { try folder.validate(policy: .failOnFirst) }
        #expect(error?.file == root.appendingPathComponent("a/broken.png").path)
        let bad = try folder.validate(policy: .skipAndReport)
        #expect(bad.map(\.path) == ["a/broken.png", "b/empty.jpg"].map { root.appendingPathComponent($0).path })
        #expect(bad.allSatisfy { !$0.reason.isEmpty })

        let good = try ImageFolder(root: root).subset(identities: ["Z"])
        #expect(try good.validate(policy: .failOnFirst).isEmpty)
    }

    @Test("a missing or empty root throws naming it")
    func missingRoot() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: DataFileError(root, "no images found: expected one sub-folder per identity holding "
            + "jpeg/jpg/pgm/png/ppm files")) {
            try ImageFolder(root: root)
        }
        let absent = root.appendingPathComponent("absent")
        #expect(throws: DataFileError(absent, "no such folder")) { try ImageFolder(root: absent) }
    }
}

@Suite("ImageFolder symbolic links")
struct ImageFolderLinkTests {
    @Test("A symbolic-link cycle inside an identity is followed once: no repeated rows, no hang")
    func linkCycle() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try DataFixtures.write("x", to: "ann/1.png", in: root)
        try DataFixtures.write("x", to: "ann/more/2.png", in: root)
        try DataFixtures.write("x", to: "bob/3.png", in: root)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("ann/more/back"),
                                                   withDestinationURL: root.appendingPathComponent("ann"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("bob/self"),
                                                   withDestinationURL: root.appendingPathComponent("bob"))
        let folder = try ImageFolder(root: root)
        #expect(folder.samples.map(\.relativePath) == ["ann/1.png", "ann/more/2.png", "bob/3.png"])
    }
}

@Suite("ImageFolder checked before training")
struct ImageFolderUsableTests {
    @Test("Unreadable images stop the check naming every one; skipped, they leave and empty identities go")
    func unreadableImages() throws {
        let root = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["ann", "bob", "cid"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try ImageCodec.write(Image(width: 8, height: 8, channels: 3, fill: 9), to: root.appendingPathComponent("ann/1.png"))
        let jpeg = try ImageCodec.encodeJPEG(Image(width: 16, height: 16, channels: 3, fill: 100))
        try Data(jpeg.prefix(jpeg.count / 2)).write(to: root.appendingPathComponent("ann/2.jpg"))
        try Data(jpeg.prefix(40)).write(to: root.appendingPathComponent("bob/3.jpg"))
        try ImageCodec.write(Image(width: 8, height: 8, channels: 3, fill: 9), to: root.appendingPathComponent("cid/4.png"))
        let folder = try ImageFolder(root: root)
        let error = #expect(throws: DataError.self) { try folder.usable(skippingBad: false) }
        #expect("\(error!)".contains("2 images") && "\(error!)".contains("ann/2.jpg") && "\(error!)".contains("bob/3.jpg"))
        let (usable, skipped) = try folder.usable(skippingBad: true)
        #expect(skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["2.jpg", "3.jpg"])
        #expect(usable.classNames == ["ann", "cid"] && usable.samples.map(\.label) == [0, 1])
        #expect(usable.samples.map(\.relativePath) == ["ann/1.png", "cid/4.png"])
    }
}
