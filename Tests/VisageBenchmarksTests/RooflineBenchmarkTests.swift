import Foundation
import Testing
import Torch
import Visage
@testable import VisageBenchmarks

/// The roofline table at a tiny size: every row, column and ratio present (the timings are the command's business).
@Suite("Roofline benchmark")
struct RooflineBenchmarkTests {
    /// Anchors/ beside this test's source tree.
    static let anchors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/VisageBenchmarks/Anchors")

    @Test func layerKindsFromOperatorNamesAndShapes() {
        #expect(LayerKind(operator: "aten::conv2d", inputShapes: [[8, 64, 56, 56], [128, 64, 1, 1]]) == .pointwise)
        #expect(LayerKind(operator: "aten::conv2d", inputShapes: [[8, 128, 56, 56], [128, 1, 3, 3]]) == .depthwise)
        #expect(LayerKind(operator: "aten::conv2d", inputShapes: [[8, 64, 56, 56], [64, 64, 3, 3]]) == .dense)
        // A one-channel 3×3 convolution is dense, not depthwise.
        #expect(LayerKind(operator: "aten::conv2d", inputShapes: [[8, 1, 56, 56], [4, 1, 3, 3]]) == .dense)
        #expect(LayerKind(operator: "aten::linear", inputShapes: [[8, 128], [128, 128]]) == .linear)
        #expect(LayerKind(operator: "aten::addmm", inputShapes: []) == .linear)
        for name in ["aten::batch_norm", "aten::prelu", "aten::relu_", "aten::add", "aten::add_"] {
            #expect(LayerKind(operator: name, inputShapes: []) == .elementwise)
        }
        #expect(LayerKind(operator: "aten::max_pool2d", inputShapes: []) == .pooling)
        #expect(LayerKind(operator: "aten::mean", inputShapes: []) == .pooling)
        #expect(LayerKind(operator: "aten::contiguous", inputShapes: []) == .other)
    }

    @Test func bytesAreInputsReadPlusMemoryHandedOutPerPass() {
        let profile = OperatorProfile(calls: [
            .init(name: "aten::conv2d", microseconds: 30, inputShapes: [[1, 2, 4, 4], [3, 2, 1, 1], []],
                  allocatedBytes: 192),
            .init(name: "aten::relu_", microseconds: 10, inputShapes: [[1, 3, 4, 4]], allocatedBytes: 0),
        ])
        let layers = LayerProfile(profile, passes: 2)
        // Read: (32 + 6 + 48) floats × 4 bytes over 2 passes; written: 192 handed out + relu_'s 48 floats.
        #expect(layers.bytesRead == Double(32 + 6 + 48) * 4 / 2)
        #expect(layers.bytesWritten == (192 + 48 * 4) / 2)
        #expect(layers.shares == [.pointwise: 0.75, .elementwise: 0.25])
    }

    @Test func networkNames() throws {
        let student = try RooflineBenchmark.Network(parsing: "S-32")
        #expect(student.architecture == .bridgeStudent && student.inputSize == 32)
        #expect(try RooflineBenchmark.Network(parsing: "iresnet50").inputSize == 112)
        #expect(try RooflineBenchmark.Network(parsing: "dlib-resnet").architecture == nil)
        #expect(throws: (any Error).self) { try RooflineBenchmark.Network(parsing: "S-8") }
        #expect(throws: (any Error).self) { try RooflineBenchmark.Network(parsing: "resnet9000") }
    }

    @Test func theLargestBatchIsCutToTheFLOPBudget() throws {
        var benchmark = RooflineBenchmark(networks: [])
        benchmark.batchSizes = [1, 256]
        benchmark.flopsPerCall = 50e9
        #expect(benchmark.batches(flopsPerFace: 7_000_000) == [1, 256])
        #expect(benchmark.batches(flopsPerFace: 12_600_000_000) == [1, 3])
        #expect(benchmark.batches(flopsPerFace: 100_000_000_000) == [1])
    }

    @Test func aTinyRunHasEveryRowAndRatio() throws {
        var benchmark = RooflineBenchmark(networks: [try .init(parsing: "S-16"), try .init(parsing: "S-20")])
        benchmark.batchSizes = [1, 4]
        benchmark.rounds = 1
        benchmark.secondsPerRound = 0.01
        benchmark.sgemmSize = 64
        benchmark.profiledPasses = 1
        benchmark.peakRounds = 1
        benchmark.threads = 1
        let result = try benchmark.run(python: "/usr/bin/python3",
                                       script: Self.anchors.appendingPathComponent("bridge_student.py").path)
        #expect(result.machine.fmaGFLOPs > 0 && result.machine.sgemmGFLOPs > 0 && result.machine.threads == 1)
        #expect(result.rows.map(\.name) == ["S-16", "S-20"])
        for row in result.rows {
            #expect(row.parameters == 214_864)
            #expect(row.speeds.map(\.batch) == [1, 4] && row.profiledBatch == 4)
            #expect(row.speeds.allSatisfy { $0.gflops > 0 && $0.gflops.isFinite })
            #expect(row.peakFraction > 0 && row.bytesPerFace > 0)
            #expect((row.profile.shares[.dense] ?? 0) > 0 && (row.profile.shares[.pointwise] ?? 0) > 0)
        }
        #expect(result.mirror.map { "\($0.name)@\($0.batch)" } == ["S-16@1", "S-16@4", "S-20@1", "S-20@4"])
        #expect(result.mirror.allSatisfy { $0.ratio > 0 && $0.ratio.isFinite })
        let report = benchmark.report(result)
        for text in ["| S-16 | 16×16 |", "| S-20 | 20×20 |", "GFLOP/s @1", "GFLOP/s @B", "% peak @B", "conv 1×1", "depthwise",
                     "| S-20 | 4 |", "Visage/PyTorch"] {
            #expect(report.contains(text))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roofline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try benchmark.write(result, to: folder)
        let decoded = try JSONDecoder().decode(RooflineBenchmark.Result.self, from: Data(contentsOf: written.json))
        #expect(decoded == result)
    }

    @Test func aMissingAnchorScriptFailsBeforeMeasuring() {
        var benchmark = RooflineBenchmark(networks: [try! .init(parsing: "S-16")])
        benchmark.rounds = 1
        #expect(throws: PythonAnchor.Failure.self) {
            try benchmark.run(python: "/usr/bin/python3", script: "/nonexistent/bridge_student.py")
        }
    }
}

/// The PyTorch mirror of the bridge student computes Visage's student layer for layer.
@Suite("Bridge student PyTorch mirror")
struct BridgeStudentMirrorTests {
    @Test func theMirrorGivesVisagesOutputOnVisagesWeights() throws {
        Runtime.seed(3)
        let student = BridgeStudent(embeddingSize: 128)
        // Non-trivial running statistics, so evaluation-mode batch norm is checked too.
        for (name, tensor) in student.namedBuffers() where name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
            _ = tensor.copy_(Tensor.rand(tensor.shape) + (name.hasSuffix("var") ? 0.5 : -0.5))
        }
        student.eval()
        let input = Tensor.randn([3, 3, 20, 20])
        let output = withoutGrad { student(input) }
        var tensors = student.stateDict()
        tensors["input"] = input
        tensors["output"] = output
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        try SafeTensors.write(tensors, to: file)
        let script = RooflineBenchmarkTests.anchors.appendingPathComponent("bridge_student.py").path
        let result = try PythonAnchor.run(python: "/usr/bin/python3", script: script, arguments: ["--check", file.path])
        let difference = try PythonAnchor.number("max_abs_difference", in: result, script: script)
        let scale = try PythonAnchor.number("output_max_abs", in: result, script: script)
        #expect(scale > 0)
        #expect(difference <= 1e-5 * max(1, scale))
    }
}
