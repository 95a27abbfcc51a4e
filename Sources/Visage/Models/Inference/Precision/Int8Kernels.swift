import Torch

/// How each node of an ``OperatorGraph`` runs in int8, and its quantized weights.
///
/// Convolutions (`aten::conv2d`) and fully connected layers (`aten::linear`) with constant weights become
/// libtorch's quantized kernels with 8-bit per-output-channel weights (packed once, float32 bias), residual
/// additions of two graph values `quantized::add`, PReLU `quantized::prelu`; a ReLU that is the only reader of
/// such a node's result is fused into it (`conv2d_relu`, `linear_relu`, `add_relu`), so it costs no pass over
/// memory. Pooling, averaging and reshaping run on the quantized tensor as they are (libtorch's quantized CPU
/// kernels keep its scale). Any other operator runs in float32 on dequantized inputs, and its result is
/// quantized again only where a quantized kernel reads it. Each quantized result gets the scale and zero point of
/// its calibrated ``ActivationRange``.
final class Int8Kernels {
    enum Step {
        case convolution(packed: TorchObject, relu: Bool)
        case linear(packed: TorchObject, relu: Bool)
        case add(relu: Bool)
        case prelu(weight: Tensor)
        /// A spatial mean (`mean(x, [2, 3])`), run as one average pool over the whole map: libtorch's quantized
        /// mean takes 36× as long on the bridge student's last map (503 against 14 µs for 256×128×2×2).
        case globalAverage(keepDim: Bool)
        /// A max pool with dilation 1, run by ``Functional/maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)``
        /// on the quantized tensor (the shim's kernel for channel counts libtorch pools slowly).
        case maxPool(kernel: [Int], stride: [Int]?, padding: [Int], ceilMode: Bool)
        /// A ReLU its producer already applied.
        case fused
        /// Runs on quantized tensors unchanged.
        case asIs
        /// Runs in float32.
        case float
    }

    /// Operators that accept a quantized tensor and keep its quantization.
    static let quantizationTransparent: Set<String> = [
        "aten::max_pool2d", "aten::avg_pool2d", "aten::adaptive_avg_pool2d", "aten::mean.dim", "aten::view",
        "aten::reshape", "aten::flatten.using_ints", "aten::contiguous", "aten::relu", "aten::relu_",
        "aten::permute", "aten::transpose.int", "aten::squeeze.dim", "aten::unsqueeze", "aten::clone",
        "aten::dropout", "aten::detach", "aten::hardtanh",
    ]

    /// Whether `node` is a ReLU, or a ReLU with a ceiling (`hardtanh(x, 0, c)`, ReLU6). Either fuses into the node
    /// before it as a ReLU whose output takes the fused node's calibrated range; for the ceiling that range ends at
    /// or below `c`, and values above it saturate at the top 8-bit code, which is the clamp.
    static func isReLU(_ node: OperatorGraph.Node) -> Bool {
        switch node.name {
        case "aten::relu", "aten::relu_":
            return node.arguments.count == 1
        case "aten::hardtanh", "aten::hardtanh_":
            guard node.arguments.count == 3, case .argument(let lower) = node.arguments[1] else { return false }
            switch lower {
            case .double(let value): return value == 0
            case .int(let value): return value == 0
            default: return false
            }
        default:
            return false
        }
    }

    let steps: [Step]
    /// The range whose quantization each node's first result takes (the fused ReLU's for a fused producer).
    let outputRanges: [ActivationRange?]

    /// The int8 plan of `graph`, with `ranges[node][result]` from calibration.
    init(_ graph: OperatorGraph, ranges: [[ActivationRange?]], packedCache: inout [Int: TorchObject]) throws {
        let consumers = graph.consumers()
        var steps = [Step](repeating: .float, count: graph.nodes.count)
        var outputRanges = ranges.map { $0.first ?? nil }
        /// Folds the ReLU that is the only reader of node `index` into it (its output takes the ReLU's range);
        /// whether there was one.
        func fuseReLU(after index: Int) -> Bool {
            guard consumers[index].count == 1, let reader = consumers[index].first,
                Self.isReLU(graph.nodes[reader]),
                case .result(index, 0)? = graph.nodes[reader].arguments.first,
                graph.output.dependencies.compactMap(\.node).allSatisfy({ $0 != index })
            else { return false }
            steps[reader] = .fused
            outputRanges[index] = ranges[reader].first ?? nil
            return true
        }
        /// Node `index`'s packed weights: packed once by `prepack` with `arguments()`, then reused for every shape.
        func packed(_ index: Int, _ prepack: String, _ arguments: () -> [Argument]) throws -> TorchObject {
            if let known = packedCache[index] { return known }
            guard let packed = try Self.call(prepack, arguments()).object() else {
                throw PrecisionError.untraceable("\(prepack) returned no packed weights")
            }
            packedCache[index] = packed
            return packed
        }
        for (index, node) in graph.nodes.enumerated() {
            if case .fused = steps[index] { continue }
            let arguments = node.arguments
            switch node.name {
            case "aten::conv2d" where arguments.count == 7:
                guard case .constant(let weight) = arguments[1], !arguments[0].dependencies.isEmpty,
                    case .argument(let stride) = arguments[3], case .argument(let padding) = arguments[4],
                    case .argument(let dilation) = arguments[5], case .argument(let groups) = arguments[6]
                else { break }
                let weights = try packed(index, "quantized::conv2d_prepack") {
                    [.tensor(Self.perChannel(weight)), Self.bias(arguments[2]), stride, padding, dilation, groups]
                }
                steps[index] = .convolution(packed: weights, relu: fuseReLU(after: index))
            case "aten::linear" where arguments.count == 3:
                guard case .constant(let weight) = arguments[1] else { break }
                let weights = try packed(index, "quantized::linear_prepack") {
                    [.tensor(Self.perChannel(weight)), Self.bias(arguments[2])]
                }
                steps[index] = .linear(packed: weights, relu: fuseReLU(after: index))
            case "aten::add.Tensor" where arguments.count == 2:
                guard !arguments[0].dependencies.isEmpty, !arguments[1].dependencies.isEmpty else { break }
                steps[index] = .add(relu: fuseReLU(after: index))
            case "aten::prelu" where arguments.count == 2:
                guard case .constant(let weight) = arguments[1] else { break }
                let range = ActivationRange(of: weight).quantization
                steps[index] = .prelu(weight: weight.quantized(scale: range.scale, zeroPoint: range.zeroPoint))
            case "aten::mean.dim" where arguments.count == 3:
                guard case .argument(.ints(let dims)) = arguments[1], Set(dims) == [2, 3] || Set(dims) == [-2, -1],
                    case .argument(.bool(let keepDim)) = arguments[2]
                else {
                    steps[index] = .asIs
                    break
                }
                steps[index] = .globalAverage(keepDim: keepDim)
            case "aten::max_pool2d" where arguments.count == 6:
                guard case .argument(.ints(let kernel)) = arguments[1],
                    case .argument(.ints(let stride)) = arguments[2], case .argument(.ints(let padding)) = arguments[3],
                    case .argument(.ints(let dilation)) = arguments[4], dilation.allSatisfy({ $0 == 1 }),
                    case .argument(.bool(let ceilMode)) = arguments[5]
                else {
                    steps[index] = .asIs
                    break
                }
                steps[index] = .maxPool(kernel: kernel, stride: stride.isEmpty ? nil : stride, padding: padding,
                                        ceilMode: ceilMode)
            case let name where Self.quantizationTransparent.contains(name):
                steps[index] = .asIs
            default:
                break
            }
        }
        self.steps = steps
        self.outputRanges = outputRanges
    }

    /// Runs node `index` on `arguments`; `range(value)` gives the calibrated range of a graph value.
    func run(_ index: Int, _ node: OperatorGraph.Node, _ arguments: [Argument],
             range: (OperatorGraph.Value) -> ActivationRange?) throws -> [OperatorResult] {
        func quantizedInput(_ position: Int) throws -> Argument {
            guard case .tensor(let tensor) = arguments[position] else {
                throw PrecisionError.untraceable("\(node.name) argument \(position) is not a tensor")
            }
            if tensor.isQuantized { return .tensor(tensor) }
            let q = (range(node.arguments[position]) ?? ActivationRange(of: tensor)).quantization
            return .tensor(tensor.quantized(scale: q.scale, zeroPoint: q.zeroPoint))
        }
        func output() throws -> [Argument] {
            guard let q = outputRanges[index]?.quantization else {
                throw PrecisionError.untraceable("node \(index) (\(node.name)) has no calibrated range")
            }
            return [.double(q.scale), .int(q.zeroPoint)]
        }
        switch steps[index] {
        case .convolution(let packed, let relu):
            return try Self.call(relu ? "quantized::conv2d_relu.new" : "quantized::conv2d.new",
                                 [try quantizedInput(0), .object(packed)] + output()).values
        case .linear(let packed, let relu):
            return try Self.call(relu ? "quantized::linear_relu" : "quantized::linear",
                                 [try quantizedInput(0), .object(packed)] + output()).values
        case .add(let relu):
            return try Self.call(relu ? "quantized::add_relu" : "quantized::add",
                                 [try quantizedInput(0), try quantizedInput(1)] + output()).values
        case .prelu(let weight):
            return try Self.call("quantized::prelu", [try quantizedInput(0), .tensor(weight)] + output()).values
        case .globalAverage(let keepDim):
            guard case .tensor(let tensor) = arguments[0], tensor.isQuantized, tensor.rank == 4 else {
                return try Self.call(node.name, arguments).values
            }
            let pooled = try Self.call("aten::avg_pool2d", [.tensor(tensor), .ints(Array(tensor.shape[2...]))]).tensor()
            let shape = keepDim ? [tensor.size(0), tensor.size(1), 1, 1] : [tensor.size(0), tensor.size(1)]
            return [.tensor(pooled.reshaped(shape))]
        case .maxPool(let kernel, let stride, let padding, let ceilMode):
            guard case .tensor(let tensor) = arguments[0], tensor.isQuantized else {
                return try Self.call(node.name, arguments).values
            }
            return [.tensor(Functional.maxPool2d(tensor, kernelSize: kernel, stride: stride, padding: padding,
                                                 ceilMode: ceilMode))]
        case .fused:
            guard case .tensor(let tensor) = arguments[0] else { return [] }
            return [.tensor(tensor)]
        case .asIs:
            return try Self.call(node.name, arguments).values
        case .float:
            return try Self.call(node.name, arguments.map(Self.dequantized)).values
        }
    }

    /// Weights quantized to qint8 with one symmetric scale per output channel (dimension 0).
    static func perChannel(_ weight: Tensor) -> Tensor {
        let flat = weight.detached().to(.float32).contiguous().view([weight.size(0), -1])
        let scales = (flat.abs().max(1).values / 127).clamp(min: 1e-12).to(.float64)
        let zeroPoints = Tensor.zeros([weight.size(0)], dtype: .int64)
        return weight.detached().to(.float32).quantized(scales: scales, zeroPoints: zeroPoints, axis: 0)
    }

    private static func bias(_ value: OperatorGraph.Value) -> Argument {
        if case .constant(let bias) = value { return .tensor(bias.detached().to(.float32)) }
        return .none
    }

    private static func dequantized(_ argument: Argument) -> Argument {
        switch argument {
        case .tensor(let tensor) where tensor.isQuantized: .tensor(tensor.dequantized())
        case .tensors(let tensors): .tensors(tensors.map { $0.isQuantized ? $0.dequantized() : $0 })
        case .keyword(let name, let inner): .keyword(name, dequantized(inner))
        default: argument
        }
    }

    static func call(_ name: String, _ arguments: [Argument]) throws -> OperatorResults {
        try Torch.tryCall(name, arguments)
    }
}
