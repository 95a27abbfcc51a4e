import Foundation
import Testing
import Torch
@testable import Visage

/// Where the pretrained MS1M MobileFaceNet, its reference embeddings and the shared data are.
enum MobileFaceNetMS1MFixtures {
    /// `mobilefacenet.pt` in the weights folder, or nil where it is absent.
    static let weights: URL? = EngineWeightsFixtures.mobileFaceNetMS1M

    /// Whether the pretrained weights are present.
    static var hasWeights: Bool { weights != nil }

    /// Tests/VisageTests/Fixtures/Engines.
    static let engines = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Engines")

    /// The output of scripts/fixtures/mobilefacenet_ms1m_fixture.py.
    struct Reference: Decodable {
        struct Synthetic: Decodable {
            var file: String
            var embedding: [Float]
        }
        struct Crop: Decodable {
            var path: String
            var pixelSum: Int
            var embedding: [Float]
        }
        var synthetic: [Synthetic]
        var lfw: [Crop]
    }

    static func reference() throws -> Reference {
        let data = try Data(contentsOf: engines.appendingPathComponent("mobilefacenet_ms1m_reference.json"))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

}

/// The pretrained MS1M MobileFaceNet loaded from its legacy PyTorch file gives PyTorch's embeddings.
@Suite("MobileFaceNet MS1M", .serialized, .enabled(if: MobileFaceNetMS1MFixtures.hasWeights))
struct MobileFaceNetMS1MTests {
    /// Cosine similarity and largest absolute difference of two vectors.
    private func compare(_ a: [Float], _ b: [Float]) -> (cosine: Double, maxDifference: Double) {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let norms = sqrt(a.reduce(0.0) { $0 + Double($1 * $1) }) * sqrt(b.reduce(0.0) { $0 + Double($1 * $1) })
        let difference = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
        return (dot / norms, difference)
    }

    /// The reference images (synthetic PNGs, and the LFW crops where the shared data is present) with their
    /// PyTorch embeddings.
    private func referenceInputs() throws -> [(name: String, image: Image, embedding: [Float])] {
        let reference = try MobileFaceNetMS1MFixtures.reference()
        var inputs: [(name: String, image: Image, embedding: [Float])] = []
        for item in reference.synthetic {
            let url = MobileFaceNetMS1MFixtures.engines.appendingPathComponent(item.file)
            let image = try ImageCodec.decode(contentsOf: url)
            inputs.append((item.file, image, item.embedding))
        }
        if let shared = DataFixtures.sharedData,
            FileManager.default.fileExists(atPath: shared.appendingPathComponent(reference.lfw[0].path).path)
        {
            for item in reference.lfw {
                let image = try ImageCodec.decode(contentsOf: shared.appendingPathComponent(item.path))
                // A different JPEG decoder would change the input, not the network: say so if it happens.
                #expect(image.converted(toChannels: 3).pixels.reduce(0) { $0 + Int($1) } == item.pixelSum,
                        "\(item.path) decodes to other pixels than PIL's")
                inputs.append((item.path, image, item.embedding))
            }
        }
        return inputs
    }

    @Test("Embeddings of synthetic images and LFW crops match PyTorch's (cosine ≥ 0.9999)")
    func fidelity() throws {
        let model = try MobileFaceNetMS1M.load(from: #require(MobileFaceNetMS1MFixtures.weights))
        let inputs = try referenceInputs()
        let batch = try Batch.tensor(inputs.map(\.image))
        let output = withoutGrad { model(batch) }
        #expect(output.shape == [inputs.count, 128])
        let values = output.contiguous().array(of: Float.self)
        var worstCosine = 1.0
        var worstDifference = 0.0
        for (index, input) in inputs.enumerated() {
            let measured = Array(values[(index * 128)..<((index + 1) * 128)])
            let (cosine, difference) = compare(measured, input.embedding)
            #expect(cosine >= 0.9999, "\(input.name): cosine \(cosine)")
            worstCosine = min(worstCosine, cosine)
            worstDifference = max(worstDifference, difference)
        }
        print("MobileFaceNet MS1M against PyTorch over \(inputs.count) images: lowest cosine \(worstCosine), "
            + "largest absolute difference \(worstDifference)")
        #expect(worstDifference < 1e-3)
    }

    @Test("Folded, channels-last inference gives the same embeddings")
    func preparedForInference() throws {
        let architecture = BackboneArchitecture.mobileFaceNetMS1M
        let model = try MobileFaceNetMS1M.load(from: #require(MobileFaceNetMS1MFixtures.weights))
        let batch = try Batch.tensor(referenceInputs().prefix(4).map(\.image))
        let plain = withoutGrad { model(batch) }
        architecture.preparedForInference(model)
        #expect(!model.modules.contains { $0 is BatchNorm })
        let fast = withoutGrad { model(architecture.inferenceInput(batch)) }
        #expect((plain - fast).abs().max().item < 1e-3)
    }

    @Test("As the catalogue's engine it is a FaceModel that saves and reloads as a Visage model file")
    func faceModel() throws {
        let model = try FaceModel.load("mobilefacenet-ms1m")
        #expect(model.architecture == .mobileFaceNetMS1M && model.embeddingSize == 128 && model.inputSize == 112)
        #expect(model.identifier == "mobilefacenet-ms1m-90a00ba1d8b0b688" && model.crop == .arcface(size: 112))
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ms1m.safetensors")
        try model.save(to: url)
        let reloaded = try FaceModel.load(from: url)
        #expect(reloaded.architecture == .mobileFaceNetMS1M)
        let batch = try Batch.tensor(referenceInputs().prefix(2).map(\.image))
        let difference = withoutGrad { (model.backbone(batch) - reloaded.backbone(batch)).abs().max().item }
        #expect(difference == 0)
    }

    /// LFW View 2 through Visage, as the model's README measures it (flip test, cosine, 10 folds). Embeds all
    /// 13,233 crops twice: minutes even in a release build, so it runs only with `VISAGE_MS1M_LFW=1`.
    @Test("LFW View 2 accuracy is the README's 98.98 %",
          .enabled(if: ProcessInfo.processInfo.environment["VISAGE_MS1M_LFW"] == "1"))
    func lfwViewTwo() throws {
        let shared = try DataFixtures.shared("lfw")
        let model = try MobileFaceNetMS1M.load(from: #require(MobileFaceNetMS1MFixtures.weights))
        let architecture = BackboneArchitecture.mobileFaceNetMS1M
        architecture.preparedForInference(model)
        let embedder = try Embedder(model: ChannelsLastInput(model), batchSize: 128, flipTest: true,
                                    workers: 2)
        let features = try embedder.featureFile(for: ImageFolder(root: shared.appendingPathComponent("aligned")),
                                                showProgress: false)
        let pairs = try PairList(contentsOf: shared.appendingPathComponent("pairs.txt"))
        let result = try VerificationResult(name: "mobilefacenet-ms1m", pairList: "pairs.txt", metric: .cosine,
                                            pairs: ScoredPairs(pairs: pairs, features: features))
        print("MobileFaceNet MS1M, LFW View 2: \(result.accuracy.mean) ± \(result.accuracy.standardDeviation) %")
        #expect(abs(result.accuracy.mean - 98.98) < 0.1)
    }
}

/// A network fed channels-last input, as ``BackboneArchitecture/inferenceInput(_:)`` prepares it.
private final class ChannelsLastInput: Module {
    let network: Module

    init(_ network: Module) {
        self.network = network
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor { network(x.contiguous(.channelsLast)) }
}

/// Files that are not the pretrained network's are refused with errors naming the problem; no weights needed.
@Suite("MobileFaceNet MS1M loading errors")
struct MobileFaceNetMS1MLoadingTests {
    private static let torchFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TorchTests/Fixtures/legacy_state_dict.pt")

    @Test("Another network's state dict lists the missing and unexpected keys")
    func otherStateDict() {
        #expect {
            try MobileFaceNetMS1M.load(from: Self.torchFixture)
        } throws: { error in
            guard let error = error as? StateDictError else { return false }
            return error.missingKeys.contains("conv1.0.weight") && error.missingKeys.contains("dw_conv.bn1.running_var")
                && error.unexpectedKeys.contains("transposed") && error.origin == Self.torchFixture.path
        }
    }

    @Test("A truncated file is an error naming it and the byte offset")
    func truncated() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cut.pt")
        try Data(contentsOf: Self.torchFixture).prefix(300).write(to: url)
        #expect {
            try MobileFaceNetMS1M.load(from: url)
        } throws: { error in
            guard let error = error as? LegacyTorchFileError, case .truncated = error.problem else { return false }
            return "\(error)".hasPrefix(url.path + ": at byte ")
        }
    }

    @Test("The architecture has the pretrained network's 307 state-dict keys and 999,936 parameters")
    func stateDictShape() {
        let model = BackboneArchitecture.mobileFaceNetMS1M.make(embeddingSize: 128)
        let keys = model.stateDict().keys
        #expect(keys.count == 307)
        for key in ["conv1.0.weight", "dw_conv.depthwise.weight", "dw_conv.bn2.num_batches_tracked",
                    "features.0.conv.0.0.weight", "features.14.conv.1.1.running_mean", "features.14.conv.3.bias",
                    "conv2.1.weight", "gdconv.depthwise.weight", "gdconv.bn.bias", "conv3.bias", "bn.running_var"] {
            #expect(keys.contains(key), "missing \(key)")
        }
        #expect(model.parameterCount == 999_936)
    }
}
