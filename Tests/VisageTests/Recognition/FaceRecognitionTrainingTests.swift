import Foundation
import SyntheticFaces
import Testing
import Torch
@testable import Visage

@Suite("Face recognition training")
struct FaceRecognitionTrainingTests {
    /// A fresh folder under the system's temporary directory.
    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("visage-frt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// 4 synthetic people × 4 photos, rendered on demand.
    static func faces() throws -> SyntheticFaceSource {
        try SyntheticFaceSource(dataset: SyntheticDataset(identities: 4, imagesPerIdentity: 4, seed: 3, ranges: .none))
    }

    static func config(_ folder: URL, steps: Int = 2) -> TrainingConfig {
        TrainingConfig(length: .steps(steps), batchSize: 8, learningRate: 0.01, schedule: .constant,
                       checkpointInterval: 100, logInterval: 1, outputDirectory: folder.path)
    }

    static let recipe = FaceRecognitionRecipe(architecture: .bridgeStudent, embeddingSize: 32, inputSize: 112,
                                              margin: .arcFace())

    @Test("a run writes a model that loads back and embeds as the trained network did")
    func trainedModelRoundTrip() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let training = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        training.showsProgress = false
        let summary = try training.run(on: Self.faces())
        #expect(summary.steps == 2)
        #expect(summary.losses["loss"]?.isFinite == true)

        let loaded = try FaceModel.load(from: training.modelURL)
        #expect(loaded.identifier == "bridge-student-32d-\(loaded.weightsDigest())")
        #expect(loaded.architecture == .bridgeStudent)
        #expect(loaded.embeddingSize == 32)
        #expect(loaded.inputSize == 112)
        let images = try BatchLoader(source: Self.faces(), batchSize: 4).epoch(0).next()!.images
        training.model.backbone.eval()
        let expected = withoutGrad { training.model.backbone(images) }
        let actual = withoutGrad { loaded.backbone(images) }
        #expect((expected - actual).abs().max().item < 1e-5)
    }

    @Test("with a hard view and DDL the log carries the distillation terms")
    func distributionDistillationRun() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var recipe = Self.recipe
        recipe.hardView = try Degradation(resolutions: [16])
        recipe.distillation = DistributionDistillationLoss()
        let training = try FaceRecognitionTraining(recipe: recipe, config: Self.config(folder), classes: 4)
        training.showsProgress = false
        let summary = try training.run(on: Self.faces())
        for name in ["loss", "classification", "ddl_positive_kl", "ddl_negative_kl", "ddl_order"] {
            #expect(summary.losses[name]?.isFinite == true, "\(name) missing or not finite")
        }
    }

    @Test("a run started from a model begins with its backbone weights and records its identifier")
    func startsFromInitialModel() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        Runtime.seed(11)
        let initial = FaceModel(architecture: .bridgeStudent, embeddingSize: 32)
        initial.identifier = "bridge-student-32d-0123456789abcdef"
        let training = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4,
                                                   initialModel: initial)
        #expect(training.model.weightsDigest() == initial.weightsDigest())
        #expect(training.recipe.initialModel == initial.identifier)
        let fresh = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        #expect(fresh.model.weightsDigest() != initial.weightsDigest())
        #expect(fresh.recipe.initialModel == nil)

        training.showsProgress = false
        _ = try training.run(on: Self.faces())
        // The head was imprinted (unit rows) before two small steps; a fresh one starts at norms near 0.06.
        let rowNorms = training.head.weight.norm(2, dims: [1]).array(of: Float.self)
        #expect(rowNorms.allSatisfy { $0 > 0.9 && $0 < 1.1 }, "\(rowNorms)")
        let recorded = try JSONDecoder().decode(FaceRecognitionRecipe.self,
                                                from: Data(contentsOf: training.recipeURL))
        #expect(recorded.initialModel == initial.identifier)
        // Resuming without the initial model is another recipe.
        let resumed = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder, steps: 4), classes: 4)
        #expect(throws: DataFileError.self) { try resumed.run(on: Self.faces(), resume: true) }
        // With it, the run resumes from its (final) checkpoint, head included.
        let continued = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4,
                                                    initialModel: initial)
        continued.showsProgress = false
        let summary = try continued.run(on: Self.faces(), resume: true)
        #expect(summary.startStep == 2 && summary.steps == 2)
        #expect(continued.head.weight.array(of: Float.self) == training.head.weight.array(of: Float.self))
    }

    @Test("an initial model of another architecture, embedding or input size is refused, naming both")
    func refusesMismatchedInitialModel() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for initial in [FaceModel(architecture: .bridgeStudent, embeddingSize: 16),
                        FaceModel(architecture: .bridgeStudent, embeddingSize: 32, inputSize: 56),
                        FaceModel(architecture: .mobileNetV2(expansion: 6), embeddingSize: 32)] {
            #expect {
                _ = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4,
                                                initialModel: initial)
            } throws: { error in
                "\(error)".contains(initial.identifier) && "\(error)".contains("bridge-student 32-D at 112²")
            }
        }
    }

    @Test("resuming with another recipe is refused, naming recipe.json and every changed setting")
    func resumeWithOtherRecipe() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        first.showsProgress = false
        _ = try first.run(on: Self.faces())
        var other = Self.recipe
        other.margin = .arcFace(scale: 32, margin: 0.5)
        other.augmentation.brightness = 0.2
        let second = try FaceRecognitionTraining(recipe: other, config: Self.config(folder, steps: 4), classes: 4)
        let error = #expect(throws: DataFileError.self) { try second.run(on: Self.faces(), resume: true) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("recipe.json"))
        #expect(message.contains("scale 64 (this run: 32)"))
        #expect(message.contains("augmentation.brightness 0 (this run: 0.2)"))
        #expect(!message.contains("margin "))
        // The recorded recipe resumes.
        let resumed = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        resumed.showsProgress = false
        #expect(try resumed.run(on: Self.faces(), resume: true).steps == 2)
    }

    @Test("A fresh run refused for another run's folder leaves that run's recipe, so it can still resume")
    func refusedRunKeepsTheRecipe() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        first.showsProgress = false
        _ = try first.run(on: Self.faces())
        let recorded = try Data(contentsOf: first.recipeURL)
        var other = Self.recipe
        other.margin = .cosFace()
        let second = try FaceRecognitionTraining(recipe: other, config: Self.config(folder), classes: 4)
        second.showsProgress = false
        let error = #expect(throws: TrainingError.self) { try second.run(on: Self.faces()) }
        guard case .existingRun = error else { Issue.record("expected an existing-run refusal, got \(String(describing: error))"); return }
        #expect(try Data(contentsOf: first.recipeURL) == recorded)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("skipped-images.txt").path))
        let resumed = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        resumed.showsProgress = false
        _ = try resumed.run(on: Self.faces(), resume: true)
    }

    @Test("Images left out as unreadable are recorded in the run folder")
    func skippedImagesRecorded() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let training = try FaceRecognitionTraining(recipe: Self.recipe, config: Self.config(folder), classes: 4)
        training.showsProgress = false
        training.skippedImages = [BadImage(path: "/data/ann/2.jpg", reason: "truncated")]
        _ = try training.run(on: Self.faces())
        let recorded = try String(contentsOf: folder.appendingPathComponent("skipped-images.txt"), encoding: .utf8)
        #expect(recorded == "/data/ann/2.jpg: truncated\n")
    }

    @Test("An embedding size beyond 65,536 is refused, not allocated")
    func hugeEmbedding() {
        var recipe = Self.recipe
        recipe.embeddingSize = Int.max
        #expect(throws: DataError.invalidArgument("embedding size must be 1…65,536, got \(Int.max)")) { try recipe.validate() }
    }

    @Test("DDL without a hard view is refused")
    func ddlNeedsHardView() throws {
        var recipe = Self.recipe
        recipe.distillation = DistributionDistillationLoss()
        #expect(throws: DataError.self) { try recipe.validate() }
        let objective = DistributionDistillationObjective(
            backbone: BackboneArchitecture.bridgeStudent.make(embeddingSize: 8),
            head: MarginSoftmax(embeddingSize: 8, classes: 4, kind: .arcFace()),
            distillation: DistributionDistillationLoss())
        let batch = try BatchLoader(source: Self.faces(), batchSize: 4).epoch(0).next()!
        #expect(throws: TrainingError.self) { try objective.losses(on: batch, step: 0) }
    }

    @Test("architectures that flatten a 7×7 map refuse other input sizes; pooled ones accept them")
    func inputSizes() throws {
        #expect(throws: DataError.self) {
            try FaceRecognitionRecipe(architecture: .mobileFaceNet, inputSize: 56).validate()
        }
        #expect(throws: DataError.self) {
            try FaceRecognitionRecipe(architecture: .iresnet(depth: 18), inputSize: 96).validate()
        }
        try FaceRecognitionRecipe(architecture: .mobileNetV2(expansion: 6), inputSize: 56).validate()
    }

    @Test("a run at 56×56 trains on resized 112×112 faces")
    func resizedTraining() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var recipe = Self.recipe
        recipe.inputSize = 56
        let training = try FaceRecognitionTraining(recipe: recipe, config: Self.config(folder), classes: 4)
        training.showsProgress = false
        _ = try training.run(on: Self.faces())
        #expect(try FaceModel.load(from: training.modelURL).inputSize == 56)
        let resized = try ResizedFaceSource(Self.faces(), side: 56)
        let image = try resized.image(at: 3)
        #expect(image.width == 56 && image.height == 56)
        #expect(resized.name(at: 3) == (try Self.faces()).name(at: 3))
    }

    @Test("both views are stacked for classification")
    func allViews() throws {
        let degradation = try Degradation(resolutions: [16])
        let loader = try BatchLoader(source: Self.faces(), batchSize: 4, hardTransform: { image, generator in
            try degradation.apply(to: image, using: &generator)
        })
        let batch = try loader.epoch(0).next()!
        let (images, labels) = batch.allViews
        #expect(images.shape == [8, 3, 112, 112])
        #expect(labels.array(of: Int64.self) == batch.labels.array(of: Int64.self) + batch.labels.array(of: Int64.self))
    }
}

@Suite("Face model files")
struct FaceModelFileTests {
    @Test("a safetensors file without Visage metadata is refused with the key it lacks")
    func foreignFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("visage-foreign-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Linear(2, 2).save(to: url)
        let error = try #require(throws: DataFileError.self) { try FaceModel.load(from: url) }
        #expect(error.description.contains("visage.architecture"))
    }

    @Test("the weights digest is the same for the same weights and differs when one weight changes")
    func weightsDigest() throws {
        Runtime.seed(1)
        let model = FaceModel(architecture: .bridgeStudent, embeddingSize: 16, inputSize: 16)
        let digest = model.weightsDigest()
        #expect(digest.count == 16)
        #expect(model.weightsDigest() == digest)
        let first = try #require(model.backbone.parameters().first)
        withoutGrad { _ = first.mul_(1.5) }
        #expect(model.weightsDigest() != digest)
    }
}

@Suite("Image file sources")
struct ImageFileSourceTests {
    @Test("the images of a pair list, each once, labelled by identity folder")
    func pairImages() throws {
        let root = try FaceRecognitionTrainingTests.scratchFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let gray = Image(width: 112, height: 112, channels: 1, pixels: [UInt8](repeating: 90, count: 112 * 112))
        for (identity, files) in [("a", ["1.png", "2.png"]), ("b", ["1.png"])] {
            let folder = root.appendingPathComponent(identity)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files { try ImageCodec.write(gray, to: folder.appendingPathComponent(file)) }
        }
        let pairs = try PairList(parsing: "1 1\na 1.png 2.png\na 1.png b 1.png\n", url: root.appendingPathComponent("pairs.txt"))
        let source = try ImageFileSource(imagesOf: pairs, root: root)
        #expect(source.paths == ["a/1.png", "a/2.png", "b/1.png"])
        #expect(source.labels == [0, 0, 1])
        #expect(try source.image(at: 2).width == 112)

        let missing = try PairList(parsing: "1 1\na 1.png 3.png\na 1.png b 1.png\n", url: root.appendingPathComponent("bad.txt"))
        #expect(throws: (any Error).self) { try ImageFileSource(imagesOf: missing, root: root) }
    }
}
