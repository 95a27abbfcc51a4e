import Foundation
import Testing
import Torch
@testable import Visage

/// DMFR's training modes on a few random trunk features.
@Suite struct DMFRObjectiveTests {
    /// Eight rows of four people, with random synthetic and zero-change copies.
    static func data() throws -> DMFRTrainingData {
        Runtime.seed(5)
        let shape = [8, LastLayerSplit.trunkSize]
        return try DMFRTrainingData(
            real: Tensor.randn(shape), synthetic: [.pose: Tensor.randn(shape), .quality: Tensor.randn(shape)],
            zeroChange: [.pose: Tensor.randn(shape), .quality: Tensor.randn(shape)], labels: [0, 0, 1, 1, 2, 2, 3, 3])
    }

    static var initial: (weight: Tensor, bias: Tensor) { (Tensor.randn([16, LastLayerSplit.trunkSize]) * 0.05, Tensor.zeros([16])) }

    static func batch() -> Batch {
        Batch(images: Tensor.zeros([4, 0]), labels: Tensor([Int64(0), 1, 2, 3]), indices: [0, 2, 4, 6])
    }

    @Test func metaInnerUpdateTouchesOnlyTheClassifier() throws {
        let data = try Self.data()
        let objective = try MetaObjective(data: data, initial: Self.initial, kind: .cosFace(), innerLearningRate: 0.5,
                                          seed: 1)
        let layerBefore = objective.layer.weight.detached().clone(), headBefore = objective.head.weight.detached().clone()
        let rows = Tensor([Int64(0), 2, 4, 6])
        let trainLoss = objective.head.loss(objective.layer(data.real.indexSelect(0, rows)), labels: Self.batch().labels)
        let stepped = objective.innerUpdate(trainLoss)
        // A new classifier, differing from the old; no parameter moved and no gradient was stored.
        #expect(stepped.shape == objective.head.weight.shape)
        #expect(!stepped.detached().allClose(to: headBefore))
        #expect(objective.layer.weight.detached().isEqual(to: layerBefore))
        #expect(objective.head.weight.detached().isEqual(to: headBefore))
        #expect(objective.layer.weight.grad == nil && objective.head.weight.grad == nil)
        // The step's loss sends the meta-gradient into the embedding layer through the stepped classifier.
        let losses = try objective.losses(on: Self.batch(), step: 0)
        let testGradient = gradients(of: [losses["meta_test"]!], with: [objective.layer.weight, objective.head.weight])
        #expect(testGradient[0].abs().sum().item(Double.self) > 0)
        #expect(testGradient[1].abs().sum().item(Double.self) > 0, "through w' = w − α∇L_tr")
        let total = losses["loss"]!.item(Double.self)
        #expect(abs(total - 0.5 * losses["meta_train"]!.item(Double.self) - 0.5 * losses["meta_test"]!.item(Double.self)) < 1e-5)
    }

    @Test func filterLossOfAWorkedExample() throws {
        // Distances 5 (3-4-5) and 1: mean 3.
        let filtered = try Tensor([Float(3), 4, 0, 1], shape: [2, 2])
        let real = try Tensor([Float(0), 0, 0, 0], shape: [2, 2])
        #expect(abs(FilterObjective.filterLoss(filtered: filtered, real: real).item(Double.self) - 3) < 1e-6)
        // The filter starts at the identity, so a zero-change copy equal to its real row costs nothing.
        let data = try Self.data()
        let same = try DMFRTrainingData(real: data.real, synthetic: data.synthetic,
                                        zeroChange: [.pose: data.real, .quality: data.real], labels: data.labels)
        let objective = try FilterObjective(data: same, initial: Self.initial, kind: .cosFace(), seed: 0)
        let losses = try objective.losses(on: Self.batch(), step: 0)
        #expect(losses["filter"]!.item(Double.self) < 1e-4)
        #expect(abs(losses["loss"]!.item(Double.self) - losses["cls_real"]!.item(Double.self)
            - losses["cls_synthetic"]!.item(Double.self) - losses["filter"]!.item(Double.self)) < 1e-4)
        #expect(Set(objective.modules.keys) == ["embedding", "filter", "real-head", "synthetic-head"])
    }

    @Test func disentangleSplitShapesAndReconstructionPath() throws {
        let data = try Self.data()
        let objective = try DisentangleObjective(data: data, initial: Self.initial, kind: .cosFace(), seed: 0)
        let trunk = data.real.narrow(0, start: 0, length: 3)
        let parts = objective.parts(trunk)
        #expect(parts.entangled.shape == [3, 16] && parts.nonIdentity.shape == [3, 16] && parts.identity.shape == [3, 16])
        #expect(parts.reconstruction.shape == [3, LastLayerSplit.trunkSize])
        #expect((parts.entangled - parts.nonIdentity).allClose(to: parts.identity))
        // The reconstruction reaches the entangled part and the decoder, never the non-identity part.
        let reconstruction = DisentangleObjective.reconstructionLoss(parts.reconstruction, trunk)
        let viaReconstruction = gradients(of: [reconstruction], with: [
            objective.entangled.weight, objective.decoder.weight, objective.nonIdentity.weight], allowUnused: true)
        #expect(viaReconstruction[0].abs().sum().item(Double.self) > 0)
        #expect(viaReconstruction[1].abs().sum().item(Double.self) > 0)
        #expect(viaReconstruction[2].abs().sum().item(Double.self) == 0)
        // Classification reaches the non-identity part; the saved map is f_id's.
        let losses = try objective.losses(on: Self.batch(), step: 0)
        #expect(gradients(of: [losses["cls"]!], with: [objective.nonIdentity.weight])[0].abs().sum().item(Double.self) > 0)
        let map = objective.embeddingMap()
        #expect(Functional.linear(trunk, weight: map.weight, bias: map.bias).allClose(to: parts.identity, absoluteTolerance: 1e-5))
    }

    @Test func lastLayerSplitReproducesTheNetwork() throws {
        Runtime.seed(3)
        let network = MobileFaceNetMS1M()
        withoutGrad {
            let norm = network.bn as! BatchNorm
            _ = norm.runningMean!.copy_(Tensor.randn([128]) * 0.1)
            _ = norm.runningVar!.copy_(Tensor.rand([128]) + 0.5)
            _ = norm.weight!.copy_(Tensor.rand([128]) + 0.5)
        }
        let split = LastLayerSplit(network)
        let images = Tensor.randn([2, 3, 112, 112])
        let direct = withoutGrad { network(images) }
        let map = try split.lastLayer()
        let viaSplit = withoutGrad { Functional.linear(split.trunkFeatures(images), weight: map.weight, bias: map.bias) }
        #expect(viaSplit.allClose(to: direct, relativeTolerance: 1e-4, absoluteTolerance: 1e-4))
        // Written back, the map gives the same embeddings through the whole network.
        let rewritten = try split.network(withLastLayer: map.weight, bias: map.bias)
        #expect(withoutGrad { rewritten(images) }.allClose(to: direct, relativeTolerance: 1e-4, absoluteTolerance: 1e-4))
        #expect(throws: DataError.self) { try split.network(withLastLayer: Tensor.zeros([3, 3]), bias: Tensor.zeros([3])) }
    }

    @Test func allPairsVerificationOfAWorkedExample() throws {
        // Three images of two people seen twice (copies): pairs i < j only, never an image with its own copy.
        let first = try FeatureMatrix(rows: 3, columns: 2, values: [1, 0, 1, 0, 0, 1])
        let second = try FeatureMatrix(rows: 3, columns: 2, values: [1, 0, 0.8, 0.6, 0, 1])
        let result = try AllPairsVerification(first: first, firstLabels: [0, 0, 1], second: second,
                                              secondLabels: [0, 0, 1], sameImages: true)
        // (0,1) genuine 0.8; (0,2) impostor 0; (1,2) impostor 0.
        #expect(result.genuine == [0.8] && result.impostors == [0, 0])
        #expect(result.trueAcceptRate(atFalseAcceptRate: 1e-3) == 1)
        #expect(result.balancedAccuracy == 1)
        #expect(abs(result.meanImpostorScore) < 1e-9 && abs(result.meanGenuineScore - 0.8) < 1e-6)
        let all = try AllPairsVerification(first: first, firstLabels: [0, 0, 1], second: second,
                                           secondLabels: [0, 0, 1], sameImages: false)
        #expect(all.genuine.count == 5 && all.impostors.count == 4)
        #expect(throws: DataError.self) {
            try AllPairsVerification(first: first, firstLabels: [0, 0], second: second, secondLabels: [0, 0, 1],
                                     sameImages: false)
        }
    }

    @Test func aShortRunWritesAModelOfTheTrainedLayer() throws {
        let data = try Self.data()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dmfr-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        Runtime.seed(3)
        let split = LastLayerSplit(MobileFaceNetMS1M())
        let config = TrainingConfig(length: .steps(3), batchSize: 4, learningRate: 0.1, checkpointInterval: 3,
                                    logInterval: 1, outputDirectory: folder.path)
        let training = try DMFRTraining(mode: .naive, data: data, split: split, kind: .cosFace(), config: config)
        let before = training.objective.embeddingMap().weight.clone()
        _ = try training.run(resume: false, progress: false)
        let after = training.objective.embeddingMap()
        #expect(!after.weight.allClose(to: before))
        let saved = try FaceModel.load(from: training.modelURL).backbone as! MobileFaceNetMS1M
        #expect(try LastLayerSplit(saved).lastLayer().weight.allClose(to: after.weight, absoluteTolerance: 1e-5))
    }
}
