import Testing
import Torch
@testable import Visage

/// Folding batch normalization into the layers before it for inference.
@Suite("Batch-norm folding", .serialized)
struct BatchNormFoldingTests {
    /// Gives every batch normalization of `model` non-trivial statistics and affine parameters.
    private func randomizeNorms(_ model: Module) {
        withoutGrad {
            for case let norm as BatchNorm in model.modules {
                let count = norm.numFeatures
                norm.runningMean?.copy_(Tensor.randn([count]) * 0.5)
                norm.runningVar?.copy_(Tensor.rand([count]) + 0.5)
                norm.weight?.copy_(Tensor.rand([count]) + 0.5)
                norm.bias?.copy_(Tensor.randn([count]) * 0.1)
            }
        }
    }

    @Test("Folded backbones give the same embeddings in evaluation mode", arguments: [
        (BackboneArchitecture.iresnet(depth: 18), 112),
        (.mobileFaceNet, 112),
        (.mobileNetV2(expansion: 6), 64),
        (.bridgeStudent, 32),
        (.mobileFaceNetMS1M, 112),
    ])
    func sameOutputs(architecture: BackboneArchitecture, size: Int) throws {
        Runtime.seed(3)
        let model = architecture.make(embeddingSize: 128)
        randomizeNorms(model)
        model.eval()
        let x = Tensor.randn([2, 3, size, size])
        let before = withoutGrad { model(x) }
        let normsBefore = model.modules.filter { $0 is BatchNorm }.count
        let fused = fusedForInference(model)
        let after = withoutGrad { fused(x) }
        // Within 1e-4, relative to the embeddings' magnitude: IResNet's N(0, 0.1) initialization with random
        // statistics gives embeddings in the thousands, where float32 rounding alone is above 1e-4.
        let scale = max(1, before.abs().max().item)
        #expect((before - after).abs().max().item < 1e-4 * scale, "embeddings up to \(scale)")
        let normsAfter = fused.modules.filter { $0 is BatchNorm }.count
        #expect(normsAfter < normsBefore)
        #expect(!fused.isTraining)
        let profileBefore = try ModelProfile.measure(architecture.make(embeddingSize: 128), inputSize: size)
        #expect(try ModelProfile.measure(fused, inputSize: size).flops == profileBefore.flops)
    }

    @Test("Only the normalizations IResNet cannot fold remain")
    func iresnetRemainingNorms() {
        let model = fusedForInference(IResNet(depth: 18))
        // one pre-activation BN per block (8) and the BN before flattening
        #expect(model.modules.filter { $0 is BatchNorm }.count == 9)
    }

    @Test("A convolution with bias folds exactly")
    func convolutionWithBias() {
        Runtime.seed(4)
        let convolution = Conv2d(3, 5, kernelSize: 3, stride: 2, padding: 1, groups: 1, bias: true)
        let norm = BatchNorm2d(5)
        randomizeNorms(norm)
        norm.eval()
        let x = Tensor.randn([2, 3, 9, 9])
        let expected = withoutGrad { norm(convolution(x)) }
        let folded = BatchNormFolding.folded(convolution, norm)
        #expect((withoutGrad { folded(x) } - expected).abs().max().item < 1e-5)
    }

    @Test("A normalization without running statistics is left alone")
    func batchStatisticsKept() {
        let layers = Sequential(Conv2d(3, 4, kernelSize: 1), BatchNorm2d(4, trackRunningStats: false))
        let folded = BatchNormFolding.folded(layers)
        #expect(folded[1] is BatchNorm2d)
        #expect(folded[0] === layers[0])
    }
}

/// The per-architecture inference preparation.
@Suite("Inference preparation", .serialized)
struct InferencePreparationTests {
    @Test("A prepared network gives the embeddings of the original", arguments: [
        (BackboneArchitecture.bridgeStudent, 32), (.mobileNetV2(expansion: 6), 64),
    ])
    func sameOutputs(architecture: BackboneArchitecture, size: Int) {
        Runtime.seed(5)
        let model = architecture.make(embeddingSize: 64).eval()
        let x = Tensor.randn([2, 3, size, size])
        let before = withoutGrad { model(x) }
        let prepared = architecture.preparedForInference(model)
        let after = withoutGrad { prepared(x.contiguous(.channelsLast)) }
        #expect((before - after).abs().max().item < 1e-4)
        #expect(!prepared.isTraining)
    }

    @Test("IResNet stays contiguous, the depthwise networks go channels-last")
    func layouts() {
        #expect(!BackboneArchitecture.iresnet(depth: 50).prefersChannelsLast)
        #expect(BackboneArchitecture.mobileFaceNet.prefersChannelsLast)
        #expect(BackboneArchitecture.bridgeStudent.prefersChannelsLast)
        let images = Tensor.randn([2, 3, 8, 8])
        #expect(BackboneArchitecture.mobileFaceNet.inferenceInput(images).isContiguous(.channelsLast))
        #expect(!BackboneArchitecture.iresnet(depth: 50).inferenceInput(images).isContiguous(.channelsLast))
    }
}
