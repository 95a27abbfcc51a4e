import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Cross-model evaluation")
struct CrossModelEvaluationTests {
    @Test("the first image of each identity forms the gallery, the others are probes")
    func split() {
        let split = ProbeGallerySplit(labels: [0, 1, 0, 2, 1, 0])
        #expect(split.gallery == [0, 1, 3] && split.probes == [2, 4, 5])
    }

    @Test("the identity split holds out whole identities, the same for the same seed")
    func identitySplit() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 9, sourceDimension: 4, targetDimension: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder)
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

    @Test("the extractor on real faces is searched in the target gallery, for R³AN transformers only")
    func extractorOnRealFaces() throws {
        // The target features are the extractor's own features of the faces, so E(I) must identify exactly as
        // the target does: a wrong face, row order or gallery would break the equality.
        let folder = try CrossModelFixtures.pairsFolder(count: 9, sourceDimension: 6, targetDimension: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = try CrossModelFixtures.pairs(in: folder)
        Runtime.seed(2)
        let transformation = R3ANTransformation(sourceDimension: 6, targetDimension: 4)
        let extracted = try Embedder(model: transformation.extractor, inputSize: loaded.faceSize, workers: 1)
            .embed(loaded, showProgress: false)
        let pairs = try CrossModelPairs(
            source: FeatureFile(features: loaded.source, paths: loaded.paths),
            target: FeatureFile(features: extracted, paths: loaded.paths),
            imageRoot: folder.appendingPathComponent("images"), sourceModel: "s", targetModel: "t")
        let transformers: [(name: String, transformer: FeatureTransformer)] = [
            ("R3AN", FeatureTransformer(network: .r3an(transformation, .r3an), sourceModel: "s", targetModel: "t")),
            ("FC", FeatureTransformer(network: .mlp(FeatureMLP(sourceDimension: 6, targetDimension: 4, hiddenWidth: 3)),
                                      sourceModel: "s", targetModel: "t")),
        ]
        let evaluation = try CrossModelEvaluation(pairs: pairs, transformers: transformers, realFaces: true, workers: 1)
        #expect(evaluation.extractorOnRealFaces == ["R3AN": evaluation.target])
        #expect(evaluation.markdown(sourceModel: "s", targetModel: "t").contains("| Tgt | R3AN E(I) Tgt |"))
        let without = try CrossModelEvaluation(pairs: pairs, transformers: transformers)
        #expect(without.extractorOnRealFaces.isEmpty && !without.markdown(sourceModel: "s", targetModel: "t").contains("E(I)"))
    }

    /// Pairs of the images `paths` with the same 2-D features in both models, rows from `values`.
    static func pairs(_ paths: [String], _ values: [Float], target: [Float]? = nil) throws -> CrossModelPairs {
        try CrossModelPairs(
            source: FeatureFile(features: FeatureMatrix(rows: paths.count, columns: 2, values: values), paths: paths),
            target: FeatureFile(features: FeatureMatrix(rows: paths.count, columns: 2, values: target ?? values),
                                paths: paths),
            imageRoot: URL(fileURLWithPath: "/"), sourceModel: "s", targetModel: "t")
    }

    static func people(_ text: String) throws -> PeopleList {
        try PeopleList(parsing: text, url: URL(fileURLWithPath: "/lists/peopleDevTrain.txt"))
    }

    @Test("a people list trains on the identities it names, by folder name, and tests on all the others")
    func peopleListSplit() throws {
        let pairs = try Self.pairs(["aligned/A/1.jpg", "aligned/B/1.jpg", "aligned/A/2.jpg", "aligned/C/1.jpg",
                                    "aligned/C/2.jpg"], [1, 0, 0, 1, 1, 0.1, -1, 0, -1, 0.1])
        let (train, test) = try pairs.splitByIdentity(trainPeople: Self.people("3\nA\t2\nC\t2\nZ\t1\n"))
        #expect(train.identities == ["aligned/A", "aligned/C"] && test.identities == ["aligned/B"])
        #expect(train.paths == ["aligned/A/1.jpg", "aligned/A/2.jpg", "aligned/C/1.jpg", "aligned/C/2.jpg"])
        #expect(test.paths == ["aligned/B/1.jpg"] && Array(test.source.row(0)) == [0, 1])
    }

    @Test("a people list that names none or all of the identities is refused, naming the list",
          arguments: ["1\nZ\t1\n", "3\nA\t1\nB\t1\nC\t1\n"])
    func peopleListErrors(list: String) throws {
        let pairs = try Self.pairs(["A/1", "B/1", "C/1"], [1, 0, 0, 1, -1, 0])
        let error = #expect(throws: DataError.self) { try pairs.splitByIdentity(trainPeople: Self.people(list)) }
        #expect(error.map { "\($0)".contains("/lists/peopleDevTrain.txt names") } == true)
    }

    @Test("distractors join every gallery in its own feature space and are counted")
    func distractors() throws {
        // Probes a/2 and b/2 find a/1 and b/1 first. The distractor's target feature is probe a/2's, so it
        // outranks a/1 in the target gallery only; its source feature is far from every probe.
        let pairs = try Self.pairs(["a/1", "a/2", "b/1", "b/2"], [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9])
        let distractor = try Self.pairs(["d/1"], [-1, 0], target: [0.9, 0.1])
        let mlp = FeatureMLP(sourceDimension: 2, targetDimension: 2, hiddenWidth: 4)
        let transformer = FeatureTransformer(network: .mlp(mlp), sourceModel: "s", targetModel: "t")
        let plain = try CrossModelEvaluation(pairs: pairs, transformers: [])
        let progress = ProgressBar("transform", total: 5, unit: "feat", enabled: false)
        let evaluation = try CrossModelEvaluation(pairs: pairs, transformers: [("FC", transformer)],
                                                  distractors: distractor, progress: progress)
        #expect(progress.completed == 5)
        #expect(plain.source == 1 && plain.target == 1 && plain.distractors == 0)
        #expect(evaluation.source == 1 && evaluation.target == 0.5)
        #expect(evaluation.probes == 2 && evaluation.gallery == 2 && evaluation.distractors == 1)
        let transformedGallery = try ClosedSetIdentification(
            gallery: transformer.transform(FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1])),
            galleryLabels: [0, 1], probes: FeatureMatrix(rows: 2, columns: 2, values: [0.9, 0.1, 0.1, 0.9]),
            probeLabels: [0, 1], distractors: transformer.transform(distractor.source))
        #expect(evaluation.galleryTransformation["FC"] == transformedGallery.top1 / 100)
        let probeTransformation = try ClosedSetIdentification(
            gallery: FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1]), galleryLabels: [0, 1],
            probes: transformer.transform(FeatureMatrix(rows: 2, columns: 2, values: [0.9, 0.1, 0.1, 0.9])),
            probeLabels: [0, 1], distractors: distractor.target)
        #expect(evaluation.probeTransformation["FC"] == probeTransformation.top1 / 100)
        #expect(evaluation.markdown(sourceModel: "s", targetModel: "t")
            .contains("(2 probes; gallery: 2 identities, one image each, + 1 distractors; Tables 4–5)"))
    }

    @Test("distractors of a probe's identity or of other models are refused")
    func badDistractors() throws {
        let pairs = try Self.pairs(["a/1", "a/2", "b/1", "b/2"], [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9])
        #expect(throws: DataError.self) {
            try CrossModelEvaluation(pairs: pairs, transformers: [], distractors: Self.pairs(["a/3"], [1, 0]))
        }
        let other = try CrossModelPairs(
            source: FeatureFile(features: FeatureMatrix(rows: 1, columns: 2, values: [1, 0]), paths: ["d/1"]),
            target: FeatureFile(features: FeatureMatrix(rows: 1, columns: 2, values: [1, 0]), paths: ["d/1"]),
            imageRoot: URL(fileURLWithPath: "/"), sourceModel: "s", targetModel: "other")
        #expect(throws: CrossModelError.self) {
            try CrossModelEvaluation(pairs: pairs, transformers: [], distractors: other)
        }
    }
}
