import Torch

/// A face network run in bf16 or int8: traced once per input shape into an ``OperatorGraph`` and replayed with
/// the precision's kernels (``Int8Kernels``; for bf16 the same operators on bfloat16 weights and activations).
/// Its input and output are float32 as the network's are, so it stands in for the network wherever a model is
/// run (``Embedder``, ``FaceModel/backbone``).
///
/// Building one checks, before any real work, that the graph replays the network exactly in float32 (a network
/// that decides something in Swift from its tensors' values cannot be replayed) and that the lower precision
/// keeps the templates of the calibration faces within `tolerance` of float32's (mean cosine); either failing
/// throws. int8 takes its activation ranges from the same faces: use real faces of the kind the model will see.
public final class PrecisionNetwork: Module {
    /// The network as trained, in evaluation mode (batch norms folded by the caller, if wanted).
    public let network: Module
    private let state: State

    /// What calibration found, to rebuild this network later with ``init(_:calibration:)``.
    public var calibration: PrecisionCalibration { state.calibration }
    public var precision: InferencePrecision { state.calibration.precision }
    /// Mean cosine between this network's and the float32 network's outputs on the calibration faces.
    public var calibrationCosine: Double { state.calibration.meanCosine }
    /// The calibration faces' count.
    public var calibrationFaces: Int { state.calibration.faces }

    /// What the replay keeps between calls (not module state: none of it is a parameter).
    private final class State {
        var calibration: PrecisionCalibration
        /// The traced graph per input shape.
        var graphs: [[Int]: GraphEvaluation] = [:]
        /// The int8 plan per input shape, built once calibration is complete.
        var kernels: [[Int]: Int8Kernels] = [:]
        /// Packed weights per node, shared by every shape's plan.
        var packed: [Int: TorchObject] = [:]
        /// bfloat16 copies of the float constants, by tensor identity.
        var bf16: [UInt: Tensor] = [:]

        init(_ calibration: PrecisionCalibration) { self.calibration = calibration }
    }

    /// `network` at the precision of a stored calibration, without calibration faces; the network must run the
    /// operators it was calibrated with (checked when it first runs).
    /// - Throws: a ``TorchError`` for int8 when libtorch has no oneDNN quantized engine.
    public init(_ network: Module, calibration: PrecisionCalibration) throws {
        network.eval()
        self.network = network
        state = State(calibration)
        super.init()
        if precision == .int8 { try QuantizedEngine.select("onednn") }
    }

    /// Prepares `network` for `precision`, calibrating on `calibration` (`[N, 3, S, S]` normalized faces, the
    /// network's usual input) in batches of `batchSize`.
    /// - Throws: ``PrecisionError`` when the network cannot be traced or its templates fall below `tolerance`; a
    ///   ``TorchError`` for int8 when libtorch has no oneDNN quantized engine.
    public convenience init(_ network: Module, precision: InferencePrecision, calibration: Tensor,
                            batchSize: Int = 64, tolerance: Double) throws {
        guard calibration.rank == 4, calibration.size(0) > 0 else { throw PrecisionError.noCalibrationFaces }
        try self.init(network, calibration: PrecisionCalibration(
            precision: precision, meanCosine: 1, faces: calibration.size(0), signature: [],
            input: ActivationRange(lower: 0, upper: 0), ranges: []))
        let batches = stride(from: 0, to: calibration.size(0), by: max(batchSize, 1)).map {
            calibration.narrow(0, start: $0, length: min(batchSize, calibration.size(0) - $0))
        }
        var expected: [Tensor] = []
        for batch in batches {
            let evaluation = try evaluation(for: batch)
            let reference = withoutGrad { network(batch) }
            var ranges = [[ActivationRange?]](repeating: [], count: evaluation.graph.nodes.count)
            let replayed = try withoutGrad {
                try evaluation.run(batch) { index, node, arguments in
                    let results = try Torch.tryCall(node.name, arguments).values
                    guard precision == .int8 else { return results }
                    ranges[index] = results.map { result -> ActivationRange? in
                        guard case .tensor(let tensor) = result, tensor.dtype.isFloatingPoint,
                            tensor.count > 0 else { return nil }
                        return ActivationRange(of: tensor, fitted: true)
                    }
                    return results
                }
            }
            let difference = (replayed - reference).abs().max().item
            let scale = max(reference.abs().max().item, 1e-6)
            guard difference <= 1e-4 * scale else {
                throw PrecisionError.untraceable(
                    "its recorded operators give outputs up to \(difference) away from the network's (of \(scale))")
            }
            merge(ranges, input: ActivationRange(of: batch))
            expected.append(reference)
        }
        var cosines = 0.0
        for (batch, reference) in zip(batches, expected) {
            let output = try withoutGrad { try run(batch) }
            cosines += Functional.cosineSimilarity(output, reference, dim: 1).sum().item
        }
        state.calibration.meanCosine = cosines / Double(calibrationFaces)
        guard calibrationCosine >= tolerance else {
            throw PrecisionError.inaccurate(precision: precision, meanCosine: calibrationCosine, tolerance: tolerance,
                                            faces: calibrationFaces)
        }
    }

    /// `[N, 3, S, S]` → the network's output, computed at ``precision``, as float32.
    public override func forward(_ input: Tensor) -> Tensor {
        do {
            return try withoutGrad { try run(input) }
        } catch let error as TorchError {
            error.report()
        } catch {
            TorchError("\(precision) inference: \(error)").report()
        }
        return Tensor.undefined
    }

    private func run(_ input: Tensor) throws -> Tensor {
        let evaluation = try evaluation(for: input)
        switch precision {
        case .fp32:
            return try evaluation.run(input) { _, node, arguments in try Torch.tryCall(node.name, arguments).values }
        case .bf16:
            let output = try evaluation.run(input.to(.bfloat16), constant: bfloat16) { _, node, arguments in
                try Torch.tryCall(node.name, arguments).values
            }
            return output.to(.float32)
        case .int8:
            let kernels = try int8Kernels(for: evaluation)
            let output = try evaluation.run(input) { index, node, arguments in
                try kernels.run(index, node, arguments, range: range(of:))
            }
            return output.isQuantized ? output.dequantized() : output
        }
    }

    /// The traced graph for `input`'s shape, traced on first use.
    private func evaluation(for input: Tensor) throws -> GraphEvaluation {
        if let known = state.graphs[input.shape] { return known }
        let graph = try OperatorGraph.trace(network, input: input.to(.float32))
        if state.calibration.signature.isEmpty {
            state.calibration.signature = graph.signature
        } else if graph.signature != state.calibration.signature {
            throw PrecisionError.untraceable(
                "it runs different operators for input shape \(input.shape) than for the calibration faces")
        }
        let evaluation = GraphEvaluation(graph)
        state.graphs[input.shape] = evaluation
        return evaluation
    }

    /// The int8 plan of a traced graph (built from the complete calibration, so only once calibration is done).
    private func int8Kernels(for evaluation: GraphEvaluation) throws -> Int8Kernels {
        let shape = evaluation.graph.inputShape
        if let known = state.kernels[shape] { return known }
        let kernels = try Int8Kernels(evaluation.graph, ranges: state.calibration.ranges, packedCache: &state.packed)
        state.kernels[shape] = kernels
        return kernels
    }

    private func merge(_ ranges: [[ActivationRange?]], input: ActivationRange) {
        if state.calibration.ranges.isEmpty {
            state.calibration.ranges = ranges
            state.calibration.input = input
            return
        }
        state.calibration.input = state.calibration.input.union(input)
        for node in ranges.indices {
            for result in ranges[node].indices {
                guard let range = ranges[node][result] else { continue }
                state.calibration.ranges[node][result] = state.calibration.ranges[node][result].map { $0.union(range) }
                    ?? range
            }
        }
    }

    private func range(of value: OperatorGraph.Value) -> ActivationRange? {
        let ranges = state.calibration.ranges
        switch value {
        case .input: return state.calibration.input
        case .result(let node, let index): return index < ranges[node].count ? ranges[node][index] : nil
        default: return nil
        }
    }

    private func bfloat16(_ constant: Tensor) -> Tensor {
        guard constant.dtype == .float32 else { return constant }
        if let known = state.bf16[constant.identity] { return known }
        let converted = constant.detached().to(.bfloat16)
        state.bf16[constant.identity] = converted
        return converted
    }
}
