import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Cross-model identification")
struct CrossModelIdentificationTests {
    @Test("the first image of each identity forms the gallery, the others are probes")
    func split() {
        let split = CrossModelIdentification.Split(labels: [0, 1, 0, 2, 1, 0])
        #expect(split.gallery == [0, 1, 3] && split.probes == [2, 4, 5])
    }

    @Test("top-1 counts probes whose nearest gallery entry by cosine has their label")
    func top1() throws {
        // Gallery: identity 0 along x, 1 along y, distractor 2 along −x. Probe 1 (label 0) is nearest to x;
        // probe 2 (label 1) is nearest to −x (wrong); probe 3 (label 1) is long but along y.
        let gallery = try Tensor([Float(1), 0, 0, 1, -1, 0], shape: [3, 2])
        let probes = try Tensor([Float(0.9), 0.1, -1, 0.2, 0, 5], shape: [3, 2])
        let accuracy = try CrossModelIdentification.top1Accuracy(
            probes: probes, probeLabels: [0, 1, 1], gallery: gallery, galleryLabels: [0, 1, 2], batchSize: 2)
        #expect(abs(accuracy - 2.0 / 3) < 1e-12)
        #expect(throws: CrossModelError.self) {
            try CrossModelIdentification.top1Accuracy(
                probes: Tensor.zeros([1, 3]), probeLabels: [0], gallery: gallery, galleryLabels: [0, 1, 2])
        }
    }

    @Test("the identity split holds out whole identities, the same for the same seed")
    func identitySplit() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 9, sourceDimension: 4, targetDimension: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelPairs.load(
            source: folder.appendingPathComponent("source.npy"), target: folder.appendingPathComponent("target.npy"),
            imageRoot: folder.appendingPathComponent("images"))
        let (train, test) = try pairs.splitByIdentity(testFraction: 0.3, seed: 4)
        #expect(test.identities.count == 1 && train.identities.count == 2)
        #expect(Set(train.identities).isDisjoint(with: test.identities) && train.count + test.count == 9)
        #expect(try pairs.splitByIdentity(testFraction: 0.3, seed: 4).test.paths == test.paths)
        #expect(throws: DataError.self) { try pairs.splitByIdentity(testFraction: 1, seed: 4) }
    }

    @Test("the tables compare source, target and transformed searches")
    func evaluation() throws {
        // Source and target features are identical, so Src = Tgt, and a transformer trained for another pair of
        // models is refused.
        let paths = ["a/1", "a/2", "b/1", "b/2", "c/1"]
        let features = try FeatureMatrix(rows: 5, columns: 2, values: [1, 0, 0.9, 0.1, 0, 1, 0.2, 0.9, -1, 0])
        let pairs = try CrossModelPairs(
            source: FeatureFile(features: features, paths: paths), target: FeatureFile(features: features, paths: paths),
            imageRoot: URL(fileURLWithPath: "/"), sourceModel: "s", targetModel: "t")
        let mlp = FeatureMLP(sourceDimension: 2, targetDimension: 2, hiddenWidth: 4)
        let evaluation = try CrossModelEvaluation(
            pairs: pairs, transformers: [("FC", FeatureTransformer(network: .mlp(mlp), sourceModel: "s", targetModel: "t"))])
        #expect(evaluation.probes == 2 && evaluation.gallery == 3)
        #expect(evaluation.source == 1 && evaluation.target == 1)
        #expect(evaluation.probeTransformation["FC"] != nil && evaluation.galleryTransformation["FC"] != nil)
        #expect(evaluation.markdown(sourceModel: "s", targetModel: "t").contains("| s | t | 100.00 | 100.00 |"))
        #expect(throws: CrossModelError.self) {
            try CrossModelEvaluation(pairs: pairs, transformers: [
                ("FC", FeatureTransformer(network: .mlp(mlp), sourceModel: "x", targetModel: "t"))])
        }
    }
}
