import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Recognition run configuration")
struct RecognitionRunConfigurationTests {
    static let file = #"""
        {"steps": 300, "batch_size": 32, "learning_rate": 0.05,
         "recipe": {"architecture": "bridge-student", "loss": "cosface", "scale": 30, "margin": 0.2,
                    "hard_view": {"resolutions": [16, 24]}, "distillation": {"order_weight": 0.4}}}
        """#

    @Test("one file sets the trainer and the recipe")
    func readsBoth() throws {
        let settings = try RecognitionRunConfiguration.read(Data(Self.file.utf8), file: "run.json")
        #expect(settings.training.length == .steps(300))
        #expect(settings.training.batchSize == 32)
        #expect(settings.recipe.architecture == .bridgeStudent)
        #expect(settings.recipe.embeddingSize == 128 && settings.recipe.inputSize == 16)
        #expect(settings.recipe.margin == .cosFace(scale: 30, margin: 0.2))
        #expect(settings.recipe.hardView?.resolutions == [16, 24])
        #expect(settings.recipe.distillation == DistributionDistillationLoss(orderWeight: 0.4))
        let plain = try RecognitionRunConfiguration.read(Data(#"{"epochs": 3}"#.utf8))
        #expect(plain.recipe == FaceRecognitionRecipe())
        #expect(plain.training.length == .epochs(3))
    }

    @Test("flags beat the file, key by key inside objects")
    func overrides() throws {
        let settings = try RecognitionRunConfiguration.read(Data(Self.file.utf8), file: "run.json") { base in
            #expect(base["scale"] as? Double == 30)
            return ["scale": 16, "hard_view": ["illumination": 0.5], "distillation": ["positive_weight": 0.3]]
        }
        #expect(settings.recipe.margin == .cosFace(scale: 16, margin: 0.2))
        #expect(settings.recipe.hardView?.resolutions == [16, 24])
        #expect(settings.recipe.hardView?.illumination == 0.5)
        #expect(settings.recipe.distillation == DistributionDistillationLoss(positiveWeight: 0.3, orderWeight: 0.4))
    }

    @Test("unknown keys name the file and the key; a bad flag value names no file")
    func errors() {
        let unknown = #expect(throws: TrainingConfigError.self) {
            try RecognitionRunConfiguration.read(Data(#"{"recipe": {"archtecture": "iresnet50"}}"#.utf8), file: "run.json")
        }
        #expect(unknown?.file == "run.json")
        #expect(unknown?.key == "recipe.archtecture")
        let trainer = #expect(throws: TrainingConfigError.self) {
            try RecognitionRunConfiguration.read(Data(#"{"stepz": 3}"#.utf8), file: "run.json")
        }
        #expect(trainer?.key == "stepz")
        let flag = #expect(throws: TrainingConfigError.self) {
            try RecognitionRunConfiguration.read(Data(Self.file.utf8), file: "run.json") { _ in ["margin": -1] }
        }
        #expect(flag?.key == "recipe.margin")
        #expect(flag?.file == nil)
        #expect((#expect(throws: TrainingConfigError.self) {
            try RecognitionRunConfiguration.read(Data(#"{"recipe": 3}"#.utf8), file: "run.json")
        })?.key == "recipe")
    }

    @Test("a command's default sizes follow another architecture, its scale and margin another loss")
    func commandDefaults() throws {
        let demo = SyntheticDemo().recipe.jsonObject
        let student = try RecognitionRunConfiguration.read(nil, recipeDefaults: demo) { _ in
            ["architecture": "bridge-student"]
        }.recipe
        #expect(student.embeddingSize == 128 && student.inputSize == 16)
        let softmax = try RecognitionRunConfiguration.read(nil, recipeDefaults: demo) { _ in ["loss": "softmax"] }
        #expect(softmax.recipe.margin == .softmax)
        #expect(softmax.recipe.architecture == SyntheticDemo().recipe.architecture)
        #expect(try RecognitionRunConfiguration.read(nil, recipeDefaults: demo).recipe == SyntheticDemo().recipe)
    }

    @Test("the scale and margin read reach the run's loss")
    func marginReachesTheHead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-rrc-\(UUID().uuidString)")
        let settings = try RecognitionRunConfiguration.read(
            Data(#"{"steps": 1, "batch_size": 8, "recipe": {"architecture": "bridge-student", "scale": 16, "margin": 0.25}}"#.utf8))
        var config = settings.training
        config.outputDirectory = folder.path
        let training = try FaceRecognitionTraining(recipe: settings.recipe, config: config, classes: 4)
        #expect(training.head.kind == .arcFace(scale: 16, margin: 0.25))
        // The other classes' logits are 16·cos θ, the target's 16·cos(θ + 0.25).
        let head = try #require(training.head as? MarginSoftmax)
        let embeddings = Tensor.randn([2, 128])
        let logits = head.logits(embeddings, labels: Tensor([Int64(0), 1])).array(of: Float.self)
        let cosines = head.cosines(embeddings).array(of: Float.self)
        #expect(abs(logits[2] - 16 * cosines[2]) < 1e-4)
        #expect(abs(logits[0] - 16 * Float(cos(acos(Double(cosines[0])) + 0.25))) < 1e-3)
    }

    @Test("partial_fc makes the head this process's Partial FC; its sample rate is checked and recorded")
    func partialFC() throws {
        let read = { (recipe: String) in
            try RecognitionRunConfiguration.read(Data(#"{"steps": 1, "batch_size": 8, "recipe": \#(recipe)}"#.utf8),
                                                 file: "run.json")
        }
        #expect(try read(#"{"partial_fc": {"sample_rate": 0.25}}"#).recipe.partialFCSampleRate == 0.25)
        let settings = try read(#"{"architecture": "bridge-student", "partial_fc": {}}"#)
        #expect(settings.recipe.partialFCSampleRate == 1)
        #expect(try read(#"{"partial_fc": null}"#).recipe.partialFCSampleRate == nil)
        for bad in [#"{"partial_fc": {"rate": 1}}"#, #"{"partial_fc": {"sample_rate": 0}}"#,
                    #"{"loss": "curricularface", "partial_fc": {}}"#] {
            #expect(throws: TrainingConfigError.self) { try read(bad) }
        }
        let recorded = try ConfigKeys.decode(FaceRecognitionRecipe.self, from: settings.recipe.jsonData(), file: "r")
        #expect(recorded == settings.recipe)
        #expect(FaceRecognitionRecipe().differences(from: settings.recipe).contains { $0.hasPrefix("partial_fc") })

        var config = settings.training
        config.outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("visage-rrc-pfc").path
        let training = try FaceRecognitionTraining(recipe: settings.recipe, config: config, classes: 4)
        let head = try #require(training.head as? PartialFC)
        #expect(head.classRange == 0..<4 && head.group == nil && head.isSharded)
    }
}
