import Foundation
import SyntheticFaces
import Testing
import Torch
@testable import Visage

/// dlib's descriptors of the committed synthetic chips and of real faces
/// (`scripts/fixtures/dlib_resnet_fixture.py`).
private struct DlibResNetReference: Decodable {
    struct Synthetic: Decodable {
        var file: String
        var descriptor: [Float]
    }
    struct Real: Decodable {
        var source: String
        var decoded_fnv1a64: String
        var descriptor: [Float]
    }
    var synthetic: [Synthetic]
    var real: [Real]

    static func load() throws -> DlibResNetReference {
        let url = EngineWeightsFixtures.fixtures.appendingPathComponent("dlib_resnet_descriptors.json")
        return try JSONDecoder().decode(DlibResNetReference.self, from: Data(contentsOf: url))
    }
}

@Suite("DlibResNet: dlib's face-recognition network", .enabled(if: EngineWeightsFixtures.dlibResNet != nil))
struct DlibResNetTests {
    /// The largest absolute difference between the module's rows and dlib's descriptors.
    static func maxDifference(_ output: Tensor, _ expected: [[Float]]) -> Float {
        let values = output.array(of: Float.self)
        var worst: Float = 0
        for (row, reference) in expected.enumerated() {
            for (column, value) in reference.enumerated() {
                worst = max(worst, abs(values[row * reference.count + column] - value))
            }
        }
        return worst
    }

    @Test func buildsDlibsArchitectureFromTheFile() throws {
        let model = try DlibResNet.load(from: EngineWeightsFixtures.dlibResNet!)
        #expect(model.inputSize == 150 && model.embeddingSize == 128)
        #expect(model.convolutions.count == 29 && model.scaleShifts.isEmpty && model.fullyConnected.count == 1)
        #expect(model.convolutions.map(\.outChannels).filter { $0 == 256 }.count == 8)
        #expect(abs(model.mean.red - 122.782) < 1e-3 && abs(model.mean.blue - 104.298) < 1e-3)
        // The affine layers are folded into the convolutions: 5,614,592 − 29 convolutions' 2·C affine values.
        let affineValues = model.convolutions.reduce(0) { $0 + 2 * $1.outChannels }
        #expect(model.parameters().reduce(0) { $0 + $1.count } == 5_614_592 - affineValues)
    }

    @Test func matchesDlibOnSyntheticChips() throws {
        let reference = try DlibResNetReference.load()
        let model = try DlibResNet.load(from: EngineWeightsFixtures.dlibResNet!)
        let images = try reference.synthetic.map {
            try ImageCodec.decode(contentsOf: EngineWeightsFixtures.fixtures.appendingPathComponent($0.file))
        }
        let output = withoutGrad { model(try! Batch.tensor(images)) }
        #expect(output.shape == [4, 128])
        let difference = Self.maxDifference(output, reference.synthetic.map(\.descriptor))
        print("DlibResNet vs dlib, synthetic chips: max abs difference \(difference)")
        #expect(difference <= 1e-4)
    }

    @Test(.enabled(if: DataFixtures.sharedData != nil))
    func matchesDlibOnRealFaces() throws {
        let reference = try DlibResNetReference.load()
        let model = try DlibResNet.load(from: EngineWeightsFixtures.dlibResNet!)
        var chips = [Image]()
        for face in reference.real {
            let aligned = try ImageCodec.decode(contentsOf: DataFixtures.sharedData!.appendingPathComponent(face.source))
                .converted(toChannels: 3)
            try #require(Self.fnv1a64(aligned.pixels) == face.decoded_fnv1a64,
                         "\(face.source) decodes to other pixels than Pillow's; the comparison would be meaningless")
            chips.append(Self.enlarged(aligned, to: 150))
        }
        let output = withoutGrad { model(try! Batch.tensor(chips)) }
        let difference = Self.maxDifference(output, reference.real.map(\.descriptor))
        print("DlibResNet vs dlib, real faces: max abs difference \(difference)")
        #expect(difference <= 1e-4)
    }

    @Test func addsTensorsOfDifferentShapesAsDlibDoes() throws {
        let small = try Tensor([Float](repeating: 1, count: 2 * 3 * 3), shape: [1, 2, 3, 3])
        let large = try Tensor([Float](repeating: 10, count: 3 * 4 * 4), shape: [1, 3, 4, 4])
        let sum = DlibResNet.paddedSum(small, large).array(of: Float.self)
        #expect(sum.count == 48)
        #expect(sum[0] == 11 && sum[3] == 10 && sum[12] == 10 && sum[16 + 5] == 11 && sum[32] == 10)
    }

    @Test func rejectsNetworksThatAreNotFaceDescriptors() throws {
        guard let mmod = EngineWeightsFixtures.dlibMMOD else { return }
        #expect(throws: DataFileError.self) { _ = try DlibResNet.load(from: mmod) }
        var network = try DlibNetwork(contentsOf: EngineWeightsFixtures.dlibResNet!)
        #expect(network.layers[4] == .tagOrSkip)
        network.layers.remove(at: 4)  // the first block's tag: its add_prev then has no tag
        let file = URL(fileURLWithPath: "/x.dat")
        #expect(throws: DataFileError.self) { _ = try DlibResNet(network: network, file: file) }
        var mismatched = try DlibNetwork(contentsOf: EngineWeightsFixtures.dlibResNet!)
        mismatched.layers.removeFirst()  // the next layers no longer receive 32 channels
        #expect(throws: DataFileError.self) { _ = try DlibResNet(network: mismatched, file: file) }
    }

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The fixture script's nearest-neighbour enlargement: source index = destination index · side / size.
    static func enlarged(_ image: Image, to size: Int) -> Image {
        var result = Image(width: size, height: size, channels: 3)
        for y in 0..<size {
            for x in 0..<size {
                for c in 0..<3 { result[x, y, c] = image[x * image.width / size, y * image.height / size, c] }
            }
        }
        return result
    }
}
