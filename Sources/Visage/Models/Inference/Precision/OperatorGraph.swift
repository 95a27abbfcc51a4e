import Torch

/// A network's forward pass on one input shape, recorded as the ATen operators it called: the graph that
/// ``PrecisionNetwork`` replays in bf16 or int8 without the network's code knowing.
///
/// Tracing runs the network once in float32 under an ``OperatorRecorder``. A tensor an operator returns is a
/// value of the graph; any other tensor an operator is given (a weight, a buffer, a tensor made in Swift) is a
/// constant, and an operator whose arguments are all constants is not a node at all: its results are constants
/// too (a weight reshaped inside `forward`). What the graph cannot see is a decision taken in Swift from a
/// tensor's values; ``PrecisionNetwork`` therefore replays every traced graph in float32 once and refuses it
/// when the replay differs from the network.
struct OperatorGraph {
    /// Where an argument of a node comes from.
    indirect enum Value {
        /// The network's input.
        case input
        /// Result `index` of node `node`.
        case result(node: Int, index: Int)
        /// A tensor that does not depend on the input.
        case constant(Tensor)
        /// A non-tensor argument, as passed.
        case argument(Argument)
        /// A tensor list with some members from the graph.
        case list([Value])
        /// A keyword argument.
        case keyword(String, Value)

        /// The graph values (input or node results) this argument reads.
        var dependencies: [Value] {
            switch self {
            case .input, .result: [self]
            case .constant, .argument: []
            case .list(let values): values.flatMap(\.dependencies)
            case .keyword(_, let value): value.dependencies
            }
        }

        /// The node whose result this is, if it is one.
        var node: Int? {
            if case .result(let node, _) = self { return node }
            return nil
        }
    }

    /// One operator call.
    struct Node {
        /// The qualified operator name, e.g. `aten::conv2d`.
        var name: String
        var arguments: [Value]
        /// How many results the operator returned.
        var resultCount: Int
    }

    var nodes: [Node]
    /// The value the network returned.
    var output: Value
    /// The shape of the input the graph was traced with (shape arguments such as a `view`'s may depend on it).
    var inputShape: [Int]

    /// The operator names in order: two traces of one network agree on them whatever the input shape.
    var signature: [String] { nodes.map(\.name) }

    /// For each node, the nodes that read one of its results (and whether the graph's output is one of them).
    func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for dependency in node.arguments.flatMap(\.dependencies) {
                if let producer = dependency.node { result[producer].append(index) }
            }
        }
        return result
    }

    /// Traces `model` (in evaluation mode, gradients off) on `input`.
    /// - Throws: ``PrecisionError/untraceable(_:)`` when the output is not a tensor computed from the input.
    static func trace(_ model: Module, input: Tensor) throws -> OperatorGraph {
        let recorder = GraphRecorder(input: input)
        let output = withoutGrad { OperatorRecording.recording(with: recorder) { model(input) } }
        guard let value = recorder.value(of: output), !value.dependencies.isEmpty else {
            throw PrecisionError.untraceable("the network's output does not come from its input through ATen operators")
        }
        return OperatorGraph(nodes: recorder.nodes, output: value, inputShape: input.shape)
    }
}

/// Builds an ``OperatorGraph`` from the operator calls it is shown. It holds the identity of every tensor it saw
/// (``TensorIdentityHold``), so no identity is reused for another tensor during the trace, while each result's
/// memory is freed as soon as the network drops it: tracing needs no more memory than a forward pass.
private final class GraphRecorder: OperatorRecorder, @unchecked Sendable {
    private(set) var nodes: [OperatorGraph.Node] = []
    private var producers: [UInt: OperatorGraph.Value] = [:]
    private var held: [TensorIdentityHold] = []

    init(input: Tensor) {
        producers[input.identity] = .input
        held.append(TensorIdentityHold(input))
    }

    /// The graph value a tensor of the trace is, or nil for one the trace never produced.
    func value(of tensor: Tensor) -> OperatorGraph.Value? { producers[tensor.identity] }

    func record(_ name: String, arguments: [Argument], results: [OperatorResult]) {
        let values = arguments.map(value(of:))
        let dependsOnInput = values.contains { !$0.dependencies.isEmpty }
        let index = nodes.count
        for (position, result) in results.enumerated() {
            guard case .tensor(let tensor) = result else { continue }
            held.append(TensorIdentityHold(tensor))
            producers[tensor.identity] = dependsOnInput ? .result(node: index, index: position) : .constant(tensor)
        }
        if dependsOnInput {
            nodes.append(OperatorGraph.Node(name: name, arguments: values, resultCount: results.count))
        }
    }

    private func value(of argument: Argument) -> OperatorGraph.Value {
        switch argument {
        case .tensor(let tensor): producers[tensor.identity] ?? .constant(tensor)
        case .tensors(let tensors): .list(tensors.map { producers[$0.identity] ?? .constant($0) })
        case .keyword(let name, let inner): .keyword(name, value(of: inner))
        default: .argument(argument)
        }
    }
}
