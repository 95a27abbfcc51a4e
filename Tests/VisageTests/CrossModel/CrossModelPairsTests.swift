import Foundation
import Testing
@testable import Visage

@Suite("Cross-model pairs")
struct CrossModelPairsTests {
    @Test("rows are matched by image path and faces come at 56×56")
    func matchesByPath() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 5, sourceDimension: 4, targetDimension: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
        let target = try FeatureFile.load(features: folder.appendingPathComponent("target.npy"))
        for (row, path) in pairs.paths.enumerated() {
            #expect(Array(pairs.target.row(row)) == Array(target.features.row(try #require(target.row(forPath: path)))))
        }
        #expect(pairs.sourceModel == "source" && pairs.targetModel == "target")
        #expect(pairs.labels == [0, 1, 2, 0, 1] && pairs.identities == ["id0", "id1", "id2"])
        let face = try pairs.image(at: 0)
        #expect(face.width == 56 && face.height == 56 && face.channels == 3)
    }

    @Test("lists written relative to different folders pair by identity folder and file name")
    func matchesByIdentityAndFileName() throws {
        let source = try FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 2, seed: 1),
                                     paths: ["a/1.png", "b/1.png"])
        let target = try FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 3, seed: 2),
                                     paths: ["aligned/b/1.png", "aligned/a/1.png"])
        let pairs = try CrossModelPairs(source: source, target: target, imageRoot: URL(fileURLWithPath: "/"),
                                        sourceModel: "s", targetModel: "t")
        #expect(pairs.paths == ["a/1.png", "b/1.png"])
        #expect(Array(pairs.target.row(0)) == Array(target.features.row(1)))
        #expect(Array(pairs.target.row(1)) == Array(target.features.row(0)))
    }

    @Test("files that list different images are refused, naming the image")
    func mismatch() throws {
        let source = try FeatureFile(features: CrossModelFixtures.features(rows: 3, columns: 2, seed: 1),
                                     paths: ["a/1.png", "a/2.png", "b/1.png"])
        let target = try FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 2, seed: 2),
                                     paths: ["a/2.png", "a/1.png"])
        #expect(throws: CrossModelError.mismatchedPairs(
            "source features lists b/1.png but target features does not; source and target features must describe "
                + "the same images")) {
            try CrossModelPairs(source: source, target: target, imageRoot: URL(fileURLWithPath: "/"),
                                sourceModel: "s", targetModel: "t")
        }
        let twice = try FeatureFile(features: CrossModelFixtures.features(rows: 2, columns: 2, seed: 2),
                                    paths: ["a/1.png", "a/1.png"])
        #expect(throws: CrossModelError.mismatchedPairs("target features lists a/1.png twice")) {
            try CrossModelPairs(source: source, target: twice, imageRoot: URL(fileURLWithPath: "/"),
                                sourceModel: "s", targetModel: "t")
        }
    }
}
