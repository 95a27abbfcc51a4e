import Foundation
import Testing
@testable import Visage

@Suite("FeatureFile")
struct FeatureFileTests {
    /// A folder with `images/a/1.png`, `images/b/2.png` and a 2×3 feature file listing them.
    static func makeFeatures() throws -> (folder: URL, npy: URL) {
        let folder = try DataFixtures.temporaryFolder()
        try DataFixtures.write("x", to: "images/a/1.png", in: folder)
        try DataFixtures.write("x", to: "images/b/2.png", in: folder)
        let file = try FeatureFile(
            features: FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6]), paths: ["a/1.png", "b/2.png"])
        let npy = folder.appendingPathComponent("engine.npy")
        try file.write(features: npy)
        return (folder, npy)
    }

    @Test("written features load back with their paths and pass every check")
    func roundTrip() throws {
        let (folder, npy) = try Self.makeFeatures()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try String(contentsOf: folder.appendingPathComponent("engine.txt"), encoding: .utf8) == "a/1.png\nb/2.png\n")
        let file = try FeatureFile.load(
            features: npy, expectedDimension: 3, imageRoot: folder.appendingPathComponent("images"))
        #expect(file.paths == ["a/1.png", "b/2.png"] && file.dimension == 3)
        #expect(Array(file.features.row(1)) == [4, 5, 6])
        #expect(file.row(forPath: "b/2.png") == 1 && file.row(forPath: "c") == nil)
    }

    @Test("rows that do not match the list throw naming both files")
    func rowCountMismatch() throws {
        let (folder, npy) = try Self.makeFeatures()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DataFixtures.write("a/1.png\nb/2.png\nc/3.png\n", to: "engine.txt", in: folder)
        let error = #expect(throws: DataFileError.self) { try FeatureFile.load(features: npy) }
        #expect(error?.file == npy.path)
        #expect(error?.message.contains("2 feature rows, but \(folder.appendingPathComponent("engine.txt").path) lists 3") == true)
        #expect(throws: DataError.self) {
            try FeatureFile(features: FeatureMatrix(rows: 1, columns: 1, values: [0]), paths: [])
        }
    }

    @Test("a wrong dimension throws naming the file and both dimensions")
    func wrongDimension() throws {
        let (folder, npy) = try Self.makeFeatures()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: DataFileError(npy, "features are 3-dimensional, expected 512")) {
            try FeatureFile.load(features: npy, expectedDimension: 512)
        }
    }

    @Test("a listed image missing under the root throws naming its line")
    func missingImage() throws {
        let (folder, npy) = try Self.makeFeatures()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("images/b/2.png"))
        let list = folder.appendingPathComponent("engine.txt")
        let images = folder.appendingPathComponent("images")
        #expect(throws: DataFileError(list, line: 2, "image b/2.png does not exist under \(images.path)")) {
            try FeatureFile.load(features: npy, imageRoot: images)
        }
        let file = try FeatureFile.load(features: npy)
        #expect(file.missingImages(under: images) == [1])
    }

    @Test("a blank line inside the list throws naming it")
    func blankLine() throws {
        let (folder, npy) = try Self.makeFeatures()
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = try DataFixtures.write("a/1.png\n\nb/2.png\n", to: "engine.txt", in: folder)
        let error = #expect(throws: DataFileError.self) { try FeatureFile.load(features: npy) }
        #expect(error?.file == list.path && error?.line == 2)
    }

    @Test("the shared dlib features load, are 128-dimensional and name existing images",
          .enabled(if: DataFixtures.hasSharedData), arguments: [("lfw", 13233), ("orl", 400), ("yaleb", 2414)])
    func sharedFeatures(dataset: String, rows: Int) throws {
        let root = try DataFixtures.shared(dataset)
        let file = try FeatureFile.load(
            features: root.appendingPathComponent("features/dlib_resnet128.npy"), expectedDimension: 128, imageRoot: root)
        #expect(file.features.rows == rows && file.paths.count == rows)
        #expect(file.paths.allSatisfy { $0.hasPrefix("aligned/") })
        // dlib's descriptors have unit-free values of magnitude well below 1 and norms near 0.6.
        let norm = file.features.row(0).reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(norm > 0.2 && norm < 2)
        #expect(throws: DataFileError.self) {
            try FeatureFile.load(features: root.appendingPathComponent("features/dlib_resnet128.npy"), expectedDimension: 512)
        }
    }
}

@Suite("Feature file paths")
struct FeatureFilePathTests {
    @Test("Features whose name is not .npy are refused before anything is written (their list and stamp would overwrite them)")
    func sideFilesCannotOverwriteTheFeatures() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try FeatureFile(features: FeatureMatrix(rows: 1, columns: 2, values: [1, 2]), paths: ["a/1.png"])
        for name in ["f.txt", "f.json", "f"] {
            let url = folder.appendingPathComponent(name)
            let error = #expect(throws: DataError.self) { try file.write(features: url) }
            #expect("\(error!)".contains(url.path))
            #expect(!FileManager.default.fileExists(atPath: url.path))
        }
        try file.write(features: folder.appendingPathComponent("f.npy"))
        #expect(try FeatureFile.load(features: folder.appendingPathComponent("f.npy")).paths == ["a/1.png"])
    }
}
