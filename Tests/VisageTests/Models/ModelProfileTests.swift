import Testing
import Torch
@testable import Visage

/// Parameter and FLOP counting.
@Suite("Model profiles", .serialized)
struct ModelProfileTests {
    @Test("A tiny net's counts match the hand computation")
    func tinyNet() throws {
        // conv 3→4, 3×3, stride 2, pad 1 on 9×9: out 4×5×5, MACs 100 · 3·3·3 = 2,700;
        // grouped conv 4→4, 3×3, groups 2 on 5×5: 100 · 2·3·3 = 1,800; linear 4→2 after pooling: 8.
        let net = Sequential(
            Conv2d(3, 4, kernelSize: 3, stride: 2, padding: 1), BatchNorm2d(4),
            Conv2d(4, 4, kernelSize: 3, padding: 1, groups: 2, bias: false),
            Flatten(startDim: 2), Linear(25, 2))
        let profile = try ModelProfile.measure(net, inputSize: 9)
        // 4·27+4 + 2·4 + 4·2·9 + 25·2+2
        #expect(profile.parameters == 112 + 8 + 72 + 52)
        // the linear layer runs on 4 channels × 25 values → 4·2 outputs, 25 MACs each
        #expect(profile.multiplyAccumulates == 2_700 + 1_800 + 200)
        #expect(profile.flops == 2 * (2_700 + 1_800 + 200))
        #expect(net.isTraining, "measuring restores the training mode")
    }

    @Test("Backbone FLOPs match the PyTorch hook counts", arguments: [
        (BackboneArchitecture.iresnet(depth: 50), 112, 6_309_330_944),
        (.mobileFaceNet, 112, 437_520_896),
        (.mobileNetV2(expansion: 6), 64, 25_103_872),
        (.bridgeStudent, 16, 1_865_728),
        (.bridgeStudent, 96, 65_445_888),
    ])
    func backbones(architecture: BackboneArchitecture, size: Int, multiplyAccumulates: Int) throws {
        let embedding = architecture == .bridgeStudent ? 128 : 512
        let profile = try ModelProfile.measure(architecture.make(embeddingSize: embedding), inputSize: size)
        #expect(profile.multiplyAccumulates == multiplyAccumulates)
    }

    @Test("Layers report nothing outside a recording, and a nested recording resumes the outer one")
    func recordingScope() {
        let linear = Linear(3, 2)
        let outer = FLOPCounter()
        let inner = FLOPCounter()
        _ = linear(Tensor.zeros([1, 3]))
        outer.record {
            _ = linear(Tensor.zeros([1, 3]))
            inner.record { _ = linear(Tensor.zeros([5, 3])) }
            _ = linear(Tensor.zeros([2, 3]))
        }
        #expect(outer.multiplyAccumulates == 6 + 12)
        #expect(inner.multiplyAccumulates == 30)
    }

    @Test("An input the model cannot take throws")
    func badInput() {
        #expect(throws: TorchError.self) { try ModelProfile.measure(IResNet(depth: 18), inputSize: 64) }
    }
}
