import Foundation
import Testing
@testable import Visage

@Suite("Face recognition recipe")
struct FaceRecognitionRecipeTests {
    static func decode(_ json: String) throws(TrainingConfigError) -> FaceRecognitionRecipe {
        try ConfigKeys.decode(FaceRecognitionRecipe.self, from: Data(json.utf8), file: "recipe.json")
    }

    @Test("every setting survives a JSON round trip")
    func roundTrip() throws {
        var recipe = FaceRecognitionRecipe(
            architecture: .mobileNetV2(expansion: 10), embeddingSize: 96, inputSize: 64,
            margin: .curricularFace(scale: 30, margin: 0.35),
            augmentation: Augmentation(flipProbability: 0.3, cropScale: 0.8...1, brightness: 0.1, contrast: 0.2, gamma: 0.05),
            hardView: try Degradation(resolutions: [16, 24], filter: .bilinear, blurSigma: 0...1, noiseSigma: 0...2,
                                      jpegQuality: 30...90, illumination: 0.4, upsampleBack: false, landmarkJitter: 1.5),
            distillation: DistributionDistillationLoss(bins: 101, kernelWidth: 0.05, positiveWeight: 0.3,
                                                       negativeWeight: 0.04, orderWeight: 0.7),
            identityGroupSize: 4)
        recipe.initialModel = "bridge-student-128d-0123456789abcdef"
        #expect(try Self.decode(String(decoding: recipe.jsonData(), as: UTF8.self)) == recipe)
        let plain = FaceRecognitionRecipe(margin: .softmax)
        #expect(try Self.decode(String(decoding: plain.jsonData(), as: UTF8.self)) == plain)
    }

    @Test("absent keys take the defaults, the sizes the architecture's")
    func defaults() throws {
        #expect(try Self.decode("{}") == FaceRecognitionRecipe())
        let student = try Self.decode(#"{"architecture": "bridge-student", "loss": "cosface", "scale": 30}"#)
        #expect(student.embeddingSize == 128 && student.inputSize == 16)
        #expect(student.margin == .cosFace(scale: 30, margin: 0.4))
        #expect(try Self.decode(#"{"distillation": {"order_weight": 0.2}, "hard_view": {}}"#).distillation
            == DistributionDistillationLoss(orderWeight: 0.2))
    }

    @Test("unknown keys are errors naming the key, at the top and inside objects",
          arguments: [(#"{"scael": 30}"#, "scael"), (#"{"hard_view": {"resolution": [16]}}"#, "hard_view.resolution"),
                      (#"{"distillation": {"weight": 1}}"#, "distillation.weight"),
                      (#"{"augmentation": {"flip": 0}}"#, "augmentation.flip")])
    func unknownKeys(json: String, key: String) {
        let error = #expect(throws: TrainingConfigError.self) { try Self.decode(json) }
        #expect(error?.key == key)
        #expect(error?.file == "recipe.json")
        #expect(error?.message.contains("unknown key") == true)
    }

    @Test("invalid values are errors naming the key",
          arguments: [(#"{"architecture": "resnet"}"#, "architecture"), (#"{"loss": "sphereface"}"#, "loss"),
                      (#"{"scale": 0}"#, "scale"), (#"{"loss": "softmax", "margin": 0.3}"#, "margin"),
                      (#"{"distillation": {"bins": 1}, "hard_view": {}}"#, "distillation.bins"),
                      (#"{"distillation": {"positive_weight": -1}, "hard_view": {}}"#, "distillation.positive_weight"),
                      (#"{"hard_view": {"resolutions": [2]}}"#, "hard_view"),
                      (#"{"augmentation": {"flip_probability": 2}}"#, "augmentation.flip_probability"),
                      (#"{"embedding_size": 2.5}"#, "embedding_size")])
    func invalidValues(json: String, key: String) {
        let error = #expect(throws: TrainingConfigError.self) { try Self.decode(json) }
        #expect(error?.key == key)
    }

    @Test("settings that do not fit together are refused: DDL without a hard view, 56 px for MobileFaceNet")
    func inconsistent() {
        #expect(throws: TrainingConfigError.self) { try Self.decode(#"{"distillation": {}}"#) }
        let error = #expect(throws: TrainingConfigError.self) { try Self.decode(#"{"input_size": 56}"#) }
        #expect(error?.message.contains("mobilefacenet needs 112×112 input, got 56") == true)
    }

    @Test("differences name each changed setting with both values")
    func differences() throws {
        let recorded = FaceRecognitionRecipe(architecture: .bridgeStudent)
        var current = recorded
        current.margin = .arcFace(scale: 32, margin: 0.3)
        current.hardView = try Degradation(resolutions: [24])
        let differences = recorded.differences(from: current)
        #expect(differences.contains("scale 64 (this run: 32)"))
        #expect(differences.contains("margin 0.5 (this run: 0.3)"))
        #expect(differences.contains("hard_view.resolutions unset (this run: [24])"))
        #expect(differences.count == 11, "scale, margin, hard_view and its 8 settings")
        #expect(recorded.differences(from: recorded).isEmpty)
    }

    @Test("a summary names the loss with its scale and margin and the DDL weights")
    func summary() throws {
        var recipe = FaceRecognitionRecipe(architecture: .bridgeStudent, margin: .arcFace(scale: 32, margin: 0.3))
        recipe.hardView = try Degradation(resolutions: [16])
        recipe.distillation = DistributionDistillationLoss(positiveWeight: 0.2)
        #expect(recipe.summary == "bridge-student 128-D at 16², arcface (s = 32, m = 0.3), hard view at 16 px "
            + "+ DDL (weights: positive 0.2, negative 0.02, order 0.5)")
    }
}
