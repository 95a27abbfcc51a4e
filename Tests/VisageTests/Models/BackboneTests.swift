import Testing
import Torch
@testable import Visage

/// Shapes, sizes and state-dict names of the backbones, against PyTorch references.
///
/// Reference counts come from insightface arcface_torch's `iresnet.py` and `mobilefacenet.py` (`get_mbf`)
/// built with torch 1.13 (`sum(p.numel() for p in model.parameters())`, `len(model.state_dict())`), and, for
/// the networks without a PyTorch original, from the layer formulas of their doc comments.
@Suite("Backbones", .serialized)
struct BackboneTests {
    @Test("Each backbone maps N×3×H×W to N×embedding", arguments: BackboneArchitecture.all)
    func outputShape(architecture: BackboneArchitecture) {
        Runtime.seed(0)
        let model = architecture.make(embeddingSize: 64).eval()
        let size = architecture.nativeInputSize
        let output = withoutGrad { model(Tensor.randn([2, 3, size, size])) }
        #expect(output.shape == [2, 64])
        #expect(output.isfinite().all().item == 1)
    }

    @Test("Parameter counts match the references", arguments: [
        (BackboneArchitecture.iresnet(depth: 18), 512, 24_025_600),
        (.iresnet(depth: 34), 512, 34_139_328),
        (.iresnet(depth: 50), 512, 43_590_848),
        (.mobileFaceNet, 512, 2_059_520),
        (.mobileNetV2(expansion: 6), 512, 2_880_768),
        (.mobileNetV2(expansion: 10), 512, 4_085_376),
        (.mobileNetV2(expansion: 16), 512, 5_892_288),
        (.bridgeStudent, 128, 214_864),
        (.mobileFaceNetMS1M, 128, 999_936),
    ])
    func parameterCount(architecture: BackboneArchitecture, embedding: Int, expected: Int) {
        #expect(architecture.make(embeddingSize: embedding).parameterCount == expected)
    }

    @Test("State-dict names are arcface_torch's", arguments: [
        (BackboneArchitecture.iresnet(depth: 18), 187, [
            "conv1.weight", "bn1.running_mean", "prelu.weight", "layer1.0.bn1.weight", "layer1.0.conv1.weight",
            "layer1.0.bn2.num_batches_tracked", "layer1.0.prelu.weight", "layer1.0.conv2.weight",
            "layer1.0.bn3.running_var", "layer1.0.downsample.0.weight", "layer1.0.downsample.1.bias",
            "layer4.1.bn3.bias", "bn2.weight", "fc.weight", "fc.bias", "features.weight", "features.running_var",
        ]),
        (.iresnet(depth: 50), 475, ["layer3.13.conv2.weight", "layer2.0.downsample.1.running_mean"]),
        (.mobileFaceNet, 333, [
            "layers.0.layers.0.weight", "layers.0.layers.1.running_mean", "layers.0.layers.2.weight",
            "layers.1.layers.0.weight", "layers.2.layers.0.layers.0.weight", "layers.2.layers.2.layers.1.bias",
            "layers.3.layers.3.layers.1.layers.0.weight", "layers.7.layers.1.layers.2.layers.1.running_var",
            "conv_sep.layers.0.weight", "conv_sep.layers.2.weight", "features.layers.0.layers.0.weight",
            "features.layers.0.layers.1.bias", "features.layers.2.weight", "features.layers.3.running_mean",
        ]),
    ])
    func stateDictNames(architecture: BackboneArchitecture, count: Int, samples: [String]) {
        let keys = Set(architecture.make().stateDict().keys)
        #expect(keys.count == count)
        for key in samples { #expect(keys.contains(key), "missing \(key)") }
    }

    @Test("The student takes every resolution of the paper", arguments: [16, 32, 64, 96, 112])
    func studentResolutions(size: Int) {
        let student = BridgeStudent()
        let output = student(Tensor.randn([3, 3, size, size]))
        #expect(output.shape == [3, 128])
    }

    @Test("Backbones take channels-last input and give the contiguous result")
    func channelsLast() {
        Runtime.seed(1)
        let model = MobileNetV2(expansion: 6, embeddingSize: 32).eval()
        let x = Tensor.randn([2, 3, 64, 64])
        let difference = withoutGrad { (model(x) - model(x.contiguous(.channelsLast))).abs().max().item }
        #expect(difference < 1e-4)
    }

    @Test("IResNet's embedding scale is frozen at 1, as in arcface_torch")
    func frozenEmbeddingScale() {
        let model = IResNet(depth: 18)
        #expect(model.trainableParameterCount == model.parameterCount - 512)
    }
}

/// Channels-last storage of a model's weights.
@Suite("Channels-last conversion", .serialized)
struct ChannelsLastConversionTests {
    @Test("Converted weights keep their values and are stored NHWC in place")
    func conversion() {
        Runtime.seed(2)
        let model = BridgeStudent().eval()
        let x = Tensor.randn([2, 3, 32, 32])
        let before = withoutGrad { model(x) }
        let weight = model.convs[1].weight
        convertToChannelsLast(model)
        #expect(weight.shape == [32, 16, 3, 3])
        #expect(weight.strides == [144, 1, 48, 16])
        #expect(weight.requiresGrad)
        let after = withoutGrad { model(x.contiguous(.channelsLast)) }
        #expect((before - after).abs().max().item < 1e-4)
    }
}
