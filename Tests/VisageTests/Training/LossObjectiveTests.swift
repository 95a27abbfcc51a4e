import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Loss objectives: arcface_torch's clipping and weight decay", .serialized)
struct LossObjectiveTests {
    /// A one-step run of a softmax classifier over ``TinyEmbedder`` with clipping to `clip` (nil: none), returning
    /// the backbone's and the head's weights after the step.
    static func oneStep(clip: Double?, exempt: Bool = true, in folder: URL) throws
        -> (backbone: [[Float]], head: [[Float]], objective: ClassificationObjective)
    {
        Runtime.seed(1)
        let objective = ClassificationObjective(
            backbone: TinyEmbedder(), head: MarginSoftmax(embeddingSize: 16, classes: 4, kind: .softmax))
        var config = TrainingFixtures.config(output: folder.appendingPathComponent(UUID().uuidString), steps: 1)
        config.warmup = 0
        config.schedule = .constant
        config.gradientClipNorm = clip
        config.exemptNormAndBiasFromDecay = exempt
        let trainer = try Trainer(objective: objective, loader: try TrainingFixtures.loader(), config: config)
        trainer.showsProgress = false
        _ = try trainer.run(resume: false)
        return (CrossModelFixtures.snapshot(objective.backbone), CrossModelFixtures.snapshot(objective.head), objective)
    }

    @Test("face classification clips the backbone's gradient only, as arcface_torch's train_v2.py")
    func clipsTheBackboneOnly() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clipped = try Self.oneStep(clip: 1e-6, in: folder)
        let free = try Self.oneStep(clip: nil, in: folder)
        #expect(clipped.head == free.head)
        #expect(clipped.backbone != free.backbone)
        let update = try #require(try clipped.objective.updates(config: TrainingConfig()).first)
        #expect(update.clippedParameters.count == clipped.objective.backbone.parameters().count)
    }

    @Test("without the exemption every parameter is decayed, as train_v2.py does; with it biases and norms are not")
    func weightDecayGroups() throws {
        Runtime.seed(1)
        let objective = ClassificationObjective(
            backbone: TinyEmbedder(), head: MarginSoftmax(embeddingSize: 16, classes: 4, kind: .softmax))
        func decays(_ exempt: Bool) throws -> [Double] {
            var config = TrainingConfig()
            config.exemptNormAndBiasFromDecay = exempt
            let optimizer = try #require(try objective.updates(config: config).first?.optimizers["optimizer"] as? SGD)
            return optimizer.groups.filter { !$0.parameters.isEmpty }.map(\.hyperparameters.weightDecay)
        }
        #expect(try decays(false) == [5e-4])
        #expect(try decays(true) == [5e-4, 0])
    }
}
