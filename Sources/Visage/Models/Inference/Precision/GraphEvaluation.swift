import Torch

/// Evaluates an ``OperatorGraph`` on an input, node by node, freeing each node's results after their last use.
///
/// `step` runs one node: it gets the node's arguments with graph values replaced by the tensors computed for
/// them (and constants passed through `constant`), and returns the node's results. The precisions differ only in
/// their `constant` and `step`.
struct GraphEvaluation {
    let graph: OperatorGraph
    /// For each node, the earlier nodes whose results are not needed after it.
    private let releases: [[Int]]

    init(_ graph: OperatorGraph) {
        self.graph = graph
        var lastUse = [Int](repeating: -1, count: graph.nodes.count)
        for (index, node) in graph.nodes.enumerated() {
            for producer in node.arguments.flatMap(\.dependencies).compactMap(\.node) { lastUse[producer] = index }
        }
        for producer in graph.output.dependencies.compactMap(\.node) { lastUse[producer] = graph.nodes.count }
        var releases = [[Int]](repeating: [], count: graph.nodes.count)
        for (producer, last) in lastUse.enumerated() where last >= 0 && last < graph.nodes.count {
            releases[last].append(producer)
        }
        self.releases = releases
    }

    /// The graph's output for `input`.
    func run(
        _ input: Tensor, constant: (Tensor) -> Tensor = { $0 },
        step: (Int, OperatorGraph.Node, [Argument]) throws -> [OperatorResult]
    ) throws -> Tensor {
        var results = [[OperatorResult]?](repeating: nil, count: graph.nodes.count)
        func resolve(_ value: OperatorGraph.Value) throws -> Argument {
            switch value {
            case .input: return .tensor(input)
            case .result(let node, let index):
                guard let outputs = results[node], index < outputs.count else {
                    throw PrecisionError.untraceable("node \(node) (\(graph.nodes[node].name)) read before it ran")
                }
                return outputs[index].argument
            case .constant(let tensor): return .tensor(constant(tensor))
            case .argument(let argument): return argument
            case .list(let values):
                return .tensors(try values.map { value throws -> Tensor in
                    guard case .tensor(let tensor) = try resolve(value) else {
                        throw PrecisionError.untraceable("a tensor list holds a value that is not a tensor")
                    }
                    return tensor
                })
            case .keyword(let name, let inner): return .keyword(name, try resolve(inner))
            }
        }
        for (index, node) in graph.nodes.enumerated() {
            results[index] = try step(index, node, try node.arguments.map(resolve))
            for released in releases[index] { results[released] = nil }
        }
        guard case .tensor(let output) = try resolve(graph.output) else {
            throw PrecisionError.untraceable("the graph's output is not a tensor")
        }
        return output
    }
}

extension OperatorResult {
    /// The result passed on as an argument of a later operator.
    var argument: Argument {
        switch self {
        case .none: .none
        case .tensor(let tensor): .tensor(tensor)
        case .tensors(let tensors): .tensors(tensors)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .bool(let value): .bool(value)
        case .object(let object): .object(object)
        }
    }
}
