import Foundation
import Testing
@testable import Visage

/// Pair images are matched to feature rows by identity folder and file name, and missing ones are named.
@Suite("Pair feature lookup")
struct PairFeatureLookupTests {
    static let pairText = "2 1\nAnn 1 2\nAnn 1 Bob 1\nCid a.png b.png\nAnn 2 Cid b.png\n"

    static func features(_ paths: [String]) throws -> FeatureFile {
        let values: [Float] = paths.indices.flatMap { [Float($0 + 1), 1] as [Float] }
        return try FeatureFile(features: FeatureMatrix(rows: paths.count, columns: 2, values: values), paths: paths)
    }

    @Test("numbered and named images find their rows whatever folder prefix the list uses")
    func matching() throws {
        let pairs = try PairList(parsing: Self.pairText, url: URL(fileURLWithPath: "/p/pairs.txt"))
        let file = try Self.features(["aligned/Ann/Ann_0001.jpg", "aligned/Ann/Ann_0002.jpg", "Bob/Bob_0001.png",
                                      "/abs/Cid/a.png", "x/Cid/b.png"])
        let rows = try PairFeatureLookup(features: file).rows(of: pairs)
        #expect(rows.map(\.first) == [0, 0, 3, 1] && rows.map(\.second) == [1, 2, 4, 4])
        let scored = try ScoredPairs(pairs: pairs, features: file)
        #expect(scored.isMatch == [true, false, true, false] && scored.folds == [0, 0, 1, 1])
    }

    @Test("missing pair images throw naming them and the files")
    func missing() throws {
        let pairs = try PairList(parsing: Self.pairText, url: URL(fileURLWithPath: "/p/pairs.txt"))
        let file = try Self.features(["aligned/Ann/Ann_0001.jpg", "aligned/Ann/Ann_0002.jpg", "Cid/a.png"])
        #expect(throws: DataFileError(file: "/p/pairs.txt", message: "2 pair image(s) have no row in the feature "
            + "list: Bob/Bob_0001, Cid/b.png")) {
            try PairFeatureLookup(features: file).rows(of: pairs)
        }
    }

    @Test("with an image root, pairs are resolved on disk first")
    func root() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.png", "Cid/a.png", "Cid/b.png"] {
            try DataFixtures.write("", to: name, in: folder)
        }
        let pairs = try PairList(parsing: Self.pairText, url: URL(fileURLWithPath: "/p/pairs.txt"))
        // Ann_0001 exists with two extensions in the list; the disk has only the .jpg.
        let file = try Self.features(["Ann/Ann_0001.png", "Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.png",
                                      "Cid/a.png", "Cid/b.png"])
        let rows = try PairFeatureLookup(features: file).rows(of: pairs, root: folder)
        #expect(rows.map(\.first) == [1, 1, 4, 2])
        #expect(throws: DataFileError.self) { try PairFeatureLookup(features: file).rows(of: pairs) }
        #expect(throws: DataFileError.self) {
            try PairFeatureLookup(features: file).rows(of: pairs, root: folder.appendingPathComponent("Ann"))
        }
    }

    @Test("duplicate rows and non-finite features throw")
    func badFeatures() throws {
        #expect(throws: DataError.self) { try PairFeatureLookup(features: Self.features(["a/Ann/1.png", "b/Ann/1.png"])) }
        let pairs = try PairList(parsing: "1 1\nAnn 1 2\nAnn 1 Bob 1\n", url: URL(fileURLWithPath: "/p/pairs.txt"))
        let file = try FeatureFile(features: FeatureMatrix(rows: 3, columns: 2, values: [1, 0, .nan, 1, 0, 1]),
                                   paths: ["Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.jpg"])
        #expect(throws: DataFileError.self) { try ScoredPairs(pairs: pairs, features: file) }
    }

    @Test("second images can be scored on another feature file of the same images, found by name")
    func secondFeatures() throws {
        let pairs = try PairList(parsing: "1 1\nAnn 1 2\nAnn 1 Bob 1\n", url: URL(fileURLWithPath: "/p/pairs.txt"))
        let paths = ["Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.jpg"]
        let first = try FeatureFile(features: FeatureMatrix(rows: 3, columns: 2, values: [1, 0, 1, 0, 0, 1]), paths: paths)
        // The same images in another order, under other conditions.
        let second = try FeatureFile(features: FeatureMatrix(rows: 3, columns: 2, values: [0, 1, 1, 1, 1, 0]),
                                     paths: [paths[2], paths[1], paths[0]])
        let scored = try ScoredPairs(pairs: pairs, features: first, secondFeatures: second)
        // Ann 1 (1, 0) against Ann 2 seen as (1, 1); Ann 1 against Bob 1 seen as (0, 1).
        #expect(abs(scored.scores[0] - 0.5.squareRoot()) < 1e-12 && scored.scores[1] == 0)
        #expect(try ScoredPairs(pairs: pairs, features: first).scores == [1, 0])
        let wide = try FeatureFile(features: FeatureMatrix(rows: 3, columns: 3, values: [Float](repeating: 1, count: 9)),
                                   paths: paths)
        #expect(throws: DataError.self) { try ScoredPairs(pairs: pairs, features: first, secondFeatures: wide) }
        let partial = try FeatureFile(features: FeatureMatrix(rows: 1, columns: 2, values: [1, 0]), paths: [paths[0]])
        #expect(throws: DataFileError.self) { try ScoredPairs(pairs: pairs, features: first, secondFeatures: partial) }
    }
}
