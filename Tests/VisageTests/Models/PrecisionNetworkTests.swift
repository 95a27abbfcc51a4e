import Foundation
import SyntheticFaces
import Testing
import Torch
@testable import Visage

/// bf16 and int8 inference by tracing a network into its ATen operators and replaying them.
@Suite("Precision networks", .serialized)
struct PrecisionNetworkTests {
    /// A folded bridge student with non-trivial batch-norm statistics, and faces for it.
    private func student(side: Int = 16) -> (BridgeStudent, Tensor) {
        Runtime.seed(11)
        let model = BridgeStudent()
        withoutGrad {
            for case let norm as BatchNorm in model.modules {
                norm.runningMean?.copy_(Tensor.randn([norm.numFeatures]) * 0.2)
                norm.runningVar?.copy_(Tensor.rand([norm.numFeatures]) + 0.5)
            }
        }
        fusedForInference(model)
        return (model, Tensor.randn([24, 3, side, side]).clamp(min: -1, max: 1))
    }

    @Test("The traced graph replays the network exactly and lists its operators in order")
    func traceReplays() throws {
        let (model, faces) = student()
        let graph = try OperatorGraph.trace(model, input: faces)
        #expect(graph.signature.first == "aten::conv2d")
        #expect(graph.signature.filter { $0 == "aten::conv2d" }.count == 10)
        #expect(graph.signature.filter { $0 == "aten::linear" }.count == 3)
        #expect(graph.signature.filter { $0 == "aten::add.Tensor" }.count == 2)
        let replayed = try withoutGrad {
            try GraphEvaluation(graph).run(faces) { _, node, arguments in try Torch.tryCall(node.name, arguments).values }
        }
        let expected = withoutGrad { model(faces) }
        #expect((replayed - expected).abs().max().item == 0)
    }

    @Test("int8 fuses each ReLU into its convolution, linear layer or residual addition and stays near fp32")
    func int8() throws {
        let (model, faces) = student()
        let network = try PrecisionNetwork(model, precision: .int8, calibration: faces, tolerance: 0.98)
        let output = withoutGrad { network(faces) }
        #expect(output.shape == [24, 128] && output.dtype == .float32 && !output.isQuantized)
        let reference = withoutGrad { model(faces) }
        let cosine = Functional.cosineSimilarity(output, reference, dim: 1).mean().item
        #expect(cosine > 0.98)
        #expect(abs(cosine - network.calibrationCosine) < 1e-4)
        // Another batch size is traced anew and runs the same plan.
        let single = withoutGrad { network(faces.narrow(0, start: 0, length: 1)) }
        #expect(((single - output.narrow(0, start: 0, length: 1)).abs().max().item) < 1e-4)

        let graph = try OperatorGraph.trace(model, input: faces)
        var packed: [Int: TorchObject] = [:]
        let ranges = graph.nodes.map { _ in [ActivationRange?](repeating: ActivationRange(lower: -1, upper: 1), count: 1) }
        let kernels = try Int8Kernels(graph, ranges: ranges, packedCache: &packed)
        var counts: [String: Int] = [:]
        for step in kernels.steps {
            let key = switch step {
            case .convolution(_, let relu): relu ? "conv+relu" : "conv"
            case .linear(_, let relu): relu ? "linear+relu" : "linear"
            case .add(let relu): relu ? "add+relu" : "add"
            case .prelu: "prelu"
            case .globalAverage: "globalAverage"
            case .maxPool: "maxPool"
            case .fused: "fused"
            case .asIs: "asIs"
            case .float: "float"
            }
            counts[key, default: 0] += 1
        }
        // conv3 and conv6 feed the residual additions without a ReLU; the other eight carry theirs.
        #expect(counts == ["conv+relu": 8, "conv": 2, "add+relu": 2, "linear+relu": 2, "linear": 1, "fused": 12,
                           "maxPool": 3, "globalAverage": 1])
        #expect(packed.count == 13)
    }

    @Test("Tracing needs about the memory of a forward pass, not that of every intermediate result")
    func traceMemory() throws {
        Runtime.seed(6)
        let model = Sequential((0..<10).flatMap { _ -> [Module] in
            [Conv2d(8, 8, kernelSize: IntPair(3, 3), padding: IntPair(1, 1)), ReLU()]
        })
        model.eval()
        let input = Tensor.randn([16, 8, 32, 32])  // 512 KiB a result, 20 results
        let forward = try Runtime.peakAllocatedBytes { _ = withoutGrad { model(input) } }
        let traced = try Runtime.peakAllocatedBytes { _ = try OperatorGraph.trace(model, input: input) }
        // The control: a recorder that keeps every result it is shown, as the tracer once did.
        let keeping = KeepingRecorder()
        let kept = try Runtime.peakAllocatedBytes {
            _ = withoutGrad { OperatorRecording.recording(with: keeping) { model(input) } }
        }
        #expect(keeping.results.count == 20)
        #expect(traced <= 2 * forward, "tracing peaked at \(traced) bytes, a forward pass at \(forward)")
        #expect(kept >= 5 * forward, "the control peaked at \(kept) bytes, a forward pass at \(forward)")
    }

    @Test("A ReLU6 (hardtanh from 0) fuses into the convolution before it; its ceiling is the top code")
    func reluSix() throws {
        Runtime.seed(5)
        let model = Sequential(Conv2d(3, 8, kernelSize: IntPair(3, 3), padding: IntPair(1, 1)), ReLU6(),
                               Conv2d(8, 4, kernelSize: IntPair(1, 1)))
        model.eval()
        let faces = Tensor.randn([16, 3, 8, 8]) * 4
        let graph = try OperatorGraph.trace(model, input: faces)
        #expect(graph.signature == ["aten::conv2d", "aten::hardtanh", "aten::conv2d"])
        let hidden = withoutGrad { Functional.relu6(Functional.conv2d(faces, weight: (model.layers[0] as! Conv2d).weight,
            bias: (model.layers[0] as! Conv2d).bias, padding: [1, 1])) }
        var packed: [Int: TorchObject] = [:]
        let kernels = try Int8Kernels(graph, ranges: [[ActivationRange(lower: -9, upper: 9)],
                                                      [ActivationRange(of: hidden)], [ActivationRange(lower: -3, upper: 3)]],
                                      packedCache: &packed)
        guard case .convolution(_, relu: true) = kernels.steps[0], case .fused = kernels.steps[1],
              case .convolution(_, relu: false) = kernels.steps[2] else {
            Issue.record("steps \(kernels.steps)")
            return
        }
        #expect(kernels.outputRanges[0] == ActivationRange(of: hidden) && hidden.max().item == 6)
        let network = try PrecisionNetwork(model, precision: .int8, calibration: faces, tolerance: 0.99)
        #expect(network.calibrationCosine > 0.99)
    }

    @Test("bf16 stays within bfloat16's rounding of fp32")
    func bf16() throws {
        let (model, faces) = student()
        let network = try PrecisionNetwork(model, precision: .bf16, calibration: faces, tolerance: 0.999)
        #expect(network.calibrationCosine > 0.999)
    }

    @Test("A precision whose templates fall below the tolerance is refused, naming the cosine")
    func refusedBelowTolerance() throws {
        let (model, faces) = student()
        #expect {
            _ = try PrecisionNetwork(model, precision: .int8, calibration: faces, tolerance: 1)
        } throws: { error in
            guard case .inaccurate(.int8, let cosine, 1, 24) = error as? PrecisionError else { return false }
            return cosine < 1 && "\(error)".contains("--precision-tolerance")
        }
        #expect(throws: PrecisionError.noCalibrationFaces) {
            _ = try PrecisionNetwork(model, precision: .int8, calibration: Tensor.zeros([0, 3, 16, 16]), tolerance: 0)
        }
    }

    /// A network whose output is computed in Swift from its input's values: not an operator graph.
    private final class ReadsValues: Module {
        override func forward(_ input: Tensor) -> Tensor {
            Tensor(input.mean([1, 2, 3]).array(of: Float.self)).view([-1, 1])
        }
    }

    /// A network that takes another branch depending on its input's values.
    private final class Branches: Module {
        override func forward(_ input: Tensor) -> Tensor {
            let flat = input.flattened(from: 1)
            return flat.mean().item > 0 ? Functional.relu(flat) : flat.abs()
        }
    }

    @Test("Networks that decide in Swift from their tensors' values are refused")
    func untraceable() throws {
        #expect {
            _ = try PrecisionNetwork(ReadsValues(), precision: .bf16, calibration: Tensor.randn([4, 3, 8, 8]), tolerance: 0)
        } throws: { error in
            guard case .untraceable(let reason) = error as? PrecisionError else { return false }
            return reason.contains("does not come from its input")
        }
        let faces = Tensor.cat([Tensor.ones([2, 3, 4, 4]), -Tensor.ones([2, 3, 4, 4])], dim: 0)
        // Batches of one shape share the first batch's graph, whose replay misses the other branch...
        #expect {
            _ = try PrecisionNetwork(Branches(), precision: .int8, calibration: faces, batchSize: 2, tolerance: 0)
        } throws: { error in
            guard case .untraceable(let reason) = error as? PrecisionError else { return false }
            return reason.contains("away from the network's")
        }
        // ... and a batch of another shape traces the other branch, which no longer matches.
        #expect {
            _ = try PrecisionNetwork(Branches(), precision: .int8, calibration: faces, batchSize: 3, tolerance: 0)
        } throws: { error in
            guard case .untraceable(let reason) = error as? PrecisionError else { return false }
            return reason.contains("different operators")
        }
    }

    @Test("8-bit parameters of a range: zero exact, 255 steps; the fitted range clips a sparse tail")
    func ranges() {
        let range = ActivationRange(lower: -1, upper: 3)
        #expect(abs(range.quantization.scale - 4.0 / 255) < 1e-12)
        #expect(range.quantization.zeroPoint == 64)
        #expect(ActivationRange(lower: 0.5, upper: 2).quantization.zeroPoint == 0)  // widened to include 0
        // 10,000 values spread over [0, 1) and one at 1.1: a slightly shorter range costs the one value less
        // than its finer steps save the rest (squared error 0.0154 against 0.0155).
        let samples = (0..<10_000).map { Float($0) / 10_000 } + [1.1]
        let whole = ActivationRange(lower: 0, upper: 1.1)
        let fitted = whole.fitted(to: samples)
        #expect(fitted.upper < whole.upper && fitted.upper > 1 && fitted.lower == 0)
        // Evenly spread values keep their whole range.
        let even = (0..<1000).map { Float($0) / 1000 }
        #expect(ActivationRange(lower: 0, upper: 0.999).fitted(to: even) == ActivationRange(lower: 0, upper: 0.999))
        #expect(whole.union(ActivationRange(lower: -2, upper: 1)) == ActivationRange(lower: -2, upper: 1.1))
    }

    @Test("A model at a lower precision carries it in its stamp; fp32 is the model itself")
    func stamp() throws {
        let (model, _) = student()
        let face = FaceModel(backbone: model, architecture: .bridgeStudent, embeddingSize: 128, inputSize: 16)
        let faces = try SyntheticFaceSource(dataset: SyntheticDataset(identities: 4, imagesPerIdentity: 2, seed: 5))
        #expect(try face.atPrecision(.fp32, calibration: faces) === face)
        let lowered = try face.atPrecision(.bf16, calibration: faces, count: 8, tolerance: 0.99)
        #expect(lowered.identifier == face.identifier + "+bf16")
        #expect(lowered.backbone is PrecisionNetwork)
        #expect(InferencePrecision.split(stamp: lowered.identifier) == (face.identifier, .bf16))
        #expect(InferencePrecision.split(stamp: "dlib-resnet-55533b28a95800a5") == ("dlib-resnet-55533b28a95800a5", .fp32))
    }
}

/// Keeps every tensor result it is shown.
private final class KeepingRecorder: OperatorRecorder, @unchecked Sendable {
    var results: [Tensor] = []

    func record(_ name: String, arguments: [Argument], results: [OperatorResult]) {
        for case .tensor(let tensor) in results { self.results.append(tensor) }
    }
}
