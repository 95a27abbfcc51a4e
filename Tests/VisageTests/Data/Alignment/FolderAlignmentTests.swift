import Foundation
import Testing
@testable import Visage

@Suite("FolderAlignment")
struct FolderAlignmentTests {
    static let header = "image,identity,detected,left_eye_x,left_eye_y,right_eye_x,right_eye_y,nose_x,nose_y,"
        + "mouth_left_x,mouth_left_y,mouth_right_x,mouth_right_y\n"
    static let points = "30,40,60,40,45,55,33,70,57,70"

    /// `root/raw/a/1.png`, `root/raw/b/2.pgm` (80×90 gray) and `root/landmarks.csv` with `rows` (default: both).
    static func makeDataset(rows: [String]? = nil) throws -> URL {
        let root = try DataFixtures.temporaryFolder()
        let image = DataFixtures.gradient(width: 80, height: 90)
        for path in ["raw/a/1.png", "raw/b/2.pgm"] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ImageCodec.write(image, to: url)
        }
        let lines = rows ?? ["raw/a/1.png,a,1," + points, "raw/b/2.pgm,b,0," + points]
        try DataFixtures.write(header + lines.joined(separator: "\n") + "\n", to: "landmarks.csv", in: root)
        return root
    }

    static func alignment(_ root: URL, size: Int = 112) throws -> FolderAlignment {
        try FolderAlignment(
            images: ImageFolder(root: root.appendingPathComponent("raw")),
            landmarks: LandmarksFile(contentsOf: root.appendingPathComponent("landmarks.csv")),
            output: root.appendingPathComponent("out"), size: size)
    }

    @Test("every image is aligned to a PNG at the same relative path", arguments: [112, 64])
    func alignsFolder(size: Int) throws {
        let root = try Self.makeDataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try Self.alignment(root, size: size).run()
        #expect(report == FolderAlignment.Report(aligned: 2, skipped: []))
        let expected = try FaceAligner.align(
            DataFixtures.gradient(width: 80, height: 90),
            landmarks: FaceLandmarks(points: [SIMD2(30, 40), SIMD2(60, 40), SIMD2(45, 55), SIMD2(33, 70), SIMD2(57, 70)]),
            size: size)
        for path in ["out/a/1.png", "out/b/2.png"] {
            #expect(try ImageCodec.decode(contentsOf: root.appendingPathComponent(path)) == expected)
        }
    }

    @Test("an image without landmarks throws, or is skipped and reported")
    func missingLandmarks() throws {
        let root = try Self.makeDataset(rows: ["raw/a/1.png,a,1," + Self.points])
        defer { try? FileManager.default.removeItem(at: root) }
        let error = #expect(throws: DataFileError.self) { try Self.alignment(root).run() }
        #expect(error?.message.contains("no landmarks for \(root.appendingPathComponent("raw/b/2.pgm").path)") == true)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/a/1.png").path),
                "nothing is written when a check fails")
        let report = try Self.alignment(root).run(skipBad: true)
        #expect(report.aligned == 1 && report.skipped.map(\.path) == [root.appendingPathComponent("raw/b/2.pgm").path])
    }

    @Test("a landmarks row for a missing image throws naming the line, or is skipped")
    func missingImage() throws {
        let root = try Self.makeDataset(rows: ["raw/a/1.png,a,1," + Self.points, "raw/b/2.pgm,b,0," + Self.points,
                                               "raw/b/3.png,b,1," + Self.points])
        defer { try? FileManager.default.removeItem(at: root) }
        let error = #expect(throws: DataFileError.self) { try Self.alignment(root).run() }
        #expect(error?.line == 4 && error?.message.contains("raw/b/3.png does not exist") == true)
        let report = try Self.alignment(root).run(skipBad: true)
        #expect(report.aligned == 2 && report.skipped.count == 1)
    }

    @Test("an undecodable image or unusable landmarks throw, or are skipped")
    func badImageAndLandmarks() throws {
        let root = try Self.makeDataset(rows: ["raw/a/1.png,a,1," + Self.points, "raw/b/2.pgm,b,0,1,1,1,1,1,1,1,1,1,1",
                                               "raw/b/9.png,b,1," + Self.points])
        defer { try? FileManager.default.removeItem(at: root) }
        try DataFixtures.write("not a png", to: "raw/b/9.png", in: root)
        let landmarkError = #expect(throws: DataFileError.self) { try Self.alignment(root).run() }
        #expect(landmarkError?.line == 3 && landmarkError?.message.contains("landmarks coincide") == true)
        let report = try Self.alignment(root).run(skipBad: true)
        #expect(report.aligned == 1)
        #expect(report.skipped.map(\.path) == ["raw/b/2.pgm", "raw/b/9.png"].map { root.appendingPathComponent($0).path })
        #expect(report.skipped[0].reason.contains("landmarks coincide") && report.skipped[0].reason.contains(":3"))

        let undecodable = try Self.makeDataset(rows: ["raw/a/1.png,a,1," + Self.points, "raw/b/2.pgm,b,0," + Self.points,
                                                      "raw/b/9.png,b,1," + Self.points])
        defer { try? FileManager.default.removeItem(at: undecodable) }
        try DataFixtures.write("not a png", to: "raw/b/9.png", in: undecodable)
        let imageError = #expect(throws: ImageError.self) { try Self.alignment(undecodable).run() }
        #expect(imageError?.file == undecodable.appendingPathComponent("raw/b/9.png").path)
    }

    @Test("clashing outputs and writing into the images folder are refused")
    func refusedSetups() throws {
        let root = try Self.makeDataset()
        defer { try? FileManager.default.removeItem(at: root) }
        let images = try ImageFolder(root: root.appendingPathComponent("raw"))
        let landmarks = try LandmarksFile(contentsOf: root.appendingPathComponent("landmarks.csv"))
        #expect(throws: DataFileError.self) {
            try FolderAlignment(images: images, landmarks: landmarks, output: root.appendingPathComponent("raw"))
        }
        #expect(throws: AlignmentError.invalidSize(width: 0, height: 0)) {
            try FolderAlignment(images: images, landmarks: landmarks, output: root.appendingPathComponent("o"), size: 0)
        }
        try ImageCodec.write(DataFixtures.gradient(width: 4, height: 4), to: root.appendingPathComponent("raw/a/1.jpg"))
        let clashing = try ImageFolder(root: root.appendingPathComponent("raw"))
        let error = #expect(throws: DataFileError.self) {
            try FolderAlignment(images: clashing, landmarks: landmarks, output: root.appendingPathComponent("o"))
        }
        #expect(error?.message.contains("a/1.jpg and a/1.png would both be written to a/1.png") == true)
    }

    @Test("ORL's raw folder aligns into a folder like the provided one", .enabled(if: DataFixtures.hasSharedData))
    func orl() throws {
        let out = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let orl = try DataFixtures.shared("orl")
        let alignment = try FolderAlignment(
            images: ImageFolder(root: orl.appendingPathComponent("raw")),
            landmarks: LandmarksFile(contentsOf: orl.appendingPathComponent("landmarks.csv")), output: out)
        #expect(try alignment.run() == FolderAlignment.Report(aligned: 400, skipped: []))
        let written = try ImageFolder(root: out)
        let provided = try ImageFolder(root: orl.appendingPathComponent("aligned"))
        #expect(written.samples.map(\.relativePath) == provided.samples.map(\.relativePath))
    }
}
