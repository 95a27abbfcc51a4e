import Foundation
import Testing
@testable import Visage

@Suite("DlibNetwork: dlib's face-recognition ResNet file", .enabled(if: EngineWeightsFixtures.dlibResNet != nil))
struct DlibNetworkResNetFileTests {
    let network: DlibNetwork

    init() throws { network = try DlibNetwork(contentsOf: EngineWeightsFixtures.dlibResNet!) }

    @Test func readsTheLossAndInput() {
        #expect(network.loss == .metric(margin: 0.04, distanceThreshold: 0.6) || network.loss.name == "loss_metric")
        #expect(network.input.name == "input_rgb_image_sized")
        #expect(network.input.size?.rows == 150 && network.input.size?.columns == 150)
        #expect(abs(network.input.mean.red - 122.782) < 1e-3)
        #expect(abs(network.input.mean.green - 117.001) < 1e-3)
        #expect(abs(network.input.mean.blue - 104.298) < 1e-3)
    }

    @Test func countsLayersAndParameters() {
        #expect(network.parameterCount == 5_614_592)
        let convolutions = network.layers.filter { if case .convolution = $0 { true } else { false } }
        #expect(convolutions.count == 29)
        #expect(network.layers.count(where: { $0 == .tagOrSkip }) == 22)
        #expect(network.layers.count == 130)
        #expect(network.layers.count(where: { $0 == .addPrevious }) == 14)
    }

    @Test func readsTheStemAndHead() throws {
        guard case .convolution(let stem) = network.layers.first else { Issue.record("no stem"); return }
        #expect(stem.filters == 32 && stem.inChannels == 3 && stem.kernelRows == 7 && stem.strideY == 2)
        #expect(stem.paddingY == 0 && stem.weights.count == 32 * 3 * 49 && stem.bias.count == 32)
        guard case .affine(let affine) = network.layers[1] else { Issue.record("no affine"); return }
        #expect(affine.mode == .convolutional && affine.gamma.count == 32)
        #expect(network.layers[2] == .relu)
        guard case .maxPool(let pool) = network.layers[3] else { Issue.record("no max pool"); return }
        #expect(pool == DlibPooling(kernelRows: 3, kernelColumns: 3, strideY: 2, strideX: 2, paddingY: 0, paddingX: 0))
        guard case .averagePool(let global) = network.layers[network.layers.count - 2] else {
            Issue.record("no global pool"); return
        }
        #expect(global.isGlobal)
        guard case .fullyConnected(let fc) = network.layers.last else { Issue.record("no fc"); return }
        #expect(fc.inputs == 256 && fc.outputs == 128 && fc.bias == nil && fc.weights.count == 256 * 128)
    }
}

@Suite("DlibNetwork: dlib's MMOD face-detector file", .enabled(if: EngineWeightsFixtures.dlibMMOD != nil))
struct DlibNetworkMMODFileTests {
    let network: DlibNetwork

    init() throws { network = try DlibNetwork(contentsOf: EngineWeightsFixtures.dlibMMOD!) }

    @Test func readsTheDetector() throws {
        guard case .mmod(let options) = network.loss else { Issue.record("not an MMOD loss"); return }
        #expect(options.detectorWindows == [.init(width: 80, height: 80, label: "")])
        #expect(options.overlapsNMS.percentCoveredThreshold == 1)
        #expect(network.input.name == "input_rgb_image_pyramid" && network.input.size == nil)
        #expect(abs(network.input.mean.red - 122.782) < 1e-3)
        #expect(network.parameterCount == 181_141)
        let convolutions = network.layers.compactMap { if case .convolution(let c) = $0 { c } else { nil } }
        #expect(convolutions.map(\.filters) == [16, 32, 32, 45, 45, 45, 1])
        #expect(convolutions.map(\.kernelRows) == [5, 5, 5, 5, 5, 5, 9])
        #expect(convolutions.map(\.strideY) == [2, 2, 2, 1, 1, 1, 1])
        #expect(convolutions.map(\.paddingY) == [0, 0, 0, 2, 2, 2, 4])
        let norms = network.layers.compactMap { if case .batchNorm(let b) = $0 { b } else { nil } }
        #expect(norms.count == 6 && norms.allSatisfy { $0.epsilon == 1e-4 && $0.mode == .convolutional })
        #expect(network.layers.count == 19)
    }
}

@Suite("DlibNetwork: damaged files")
struct DlibNetworkDamagedFileTests {
    @Test(.enabled(if: EngineWeightsFixtures.dlibMMOD != nil))
    func truncatedFilesThrowWithTheOffset() throws {
        let bytes = [UInt8](try Data(contentsOf: EngineWeightsFixtures.dlibMMOD!))
        for cut in [0, 1, 5, 40, 120, 200, 5_000, bytes.count / 2, bytes.count - 100, bytes.count - 1] {
            var archive = DlibArchive(bytes: Array(bytes[0..<cut]), file: URL(fileURLWithPath: "/cut.dat"))
            do {
                _ = try DlibNetwork(reading: &archive)
                Issue.record("a file cut at \(cut) was read")
            } catch let error as DataFileError {
                #expect(error.file == "/cut.dat")
                #expect(error.message.contains("at byte"), "\(error.message)")
            }
        }
    }

    @Test(.enabled(if: EngineWeightsFixtures.dlibResNet != nil))
    func truncatedResNetFilesThrowWithTheOffset() throws {
        let bytes = [UInt8](try Data(contentsOf: EngineWeightsFixtures.dlibResNet!))
        for cut in [3, 17, 150, 400, 5_000, bytes.count - 3] {
            var archive = DlibArchive(bytes: Array(bytes[0..<cut]), file: URL(fileURLWithPath: "/cut.dat"))
            let error = #expect(throws: DataFileError.self) { _ = try DlibNetwork(reading: &archive) }
            #expect(error?.message.contains("at byte") == true, "\(error?.message ?? "")")
        }
    }

    /// Seeded byte changes in the MMOD file's structure (its first bytes, where every byte is a count, a version,
    /// a name or a shape) must give a network or a DataFileError, never a trap.
    @Test(.enabled(if: EngineWeightsFixtures.dlibMMOD != nil))
    func corruptedFilesNeverTrap() throws {
        let original = [UInt8](try Data(contentsOf: EngineWeightsFixtures.dlibMMOD!))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var thrown = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + Int(next() % 3)) {
                bytes[Int(next() % 400)] = UInt8(truncatingIfNeeded: next())
            }
            var archive = DlibArchive(bytes: bytes, file: URL(fileURLWithPath: "/corrupt.dat"))
            do { _ = try DlibNetwork(reading: &archive) } catch is DataFileError { thrown += 1 }
        }
        #expect(thrown > 100)
    }

    @Test func foreignFilesThrow() throws {
        let url = URL(fileURLWithPath: "/foreign.dat")
        for bytes: [UInt8] in [Array("hello world".utf8), [0x01, 0x01, 0x01, 0x04] + Array("abcd".utf8), [0x7F]] {
            var archive = DlibArchive(bytes: bytes, file: url)
            #expect(throws: DataFileError.self) { _ = try DlibNetwork(reading: &archive) }
        }
    }

    @Test func trailingDataIsReported() throws {
        guard let source = EngineWeightsFixtures.dlibMMOD else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlib-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("extra.dat")
        try (try Data(contentsOf: source) + Data([0x01, 0x02])).write(to: copy)
        #expect(throws: DataFileError.self) { _ = try DlibNetwork(contentsOf: copy) }
    }
}
