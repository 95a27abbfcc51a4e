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
    public let precision: InferencePrecision
    /// Mean cosine between this network's and the float32 network's outputs on the calibration faces.
    public private(set) var calibrationCosine = 1.0
    /// The calibration faces' count.
    public let calibrationFaces: Int
    private let state: State

    /// What calibration found, to rebuild this network later with ``init(_:calibration:)``.
    public var calibration: PrecisionCalibration {
        PrecisionCalibration(precision: precision, meanCosine: calibrationCosine, faces: calibrationFaces,
                             signature: state.signature, input: state.inputRange, ranges: state.ranges)
    }

    /// `network` at the precision of a stored calibration, without calibration faces; the network must run the
    /// operators it was calibrated with (checked when it first runs).
    public init(_ network: Module, calibration: PrecisionCalibration) throws {
        network.eval()
        self.network = network
        precision = calibration.precision
        calibrationCosine = calibration.meanCosine
        calibrationFaces = calibration.faces
        state = State()
        state.signature = calibration.signature
        state.inputRange = calibration.input
        state.ranges = calibration.ranges
        super.init()
        if precision == .int8 { try QuantizedEngine.select("onednn") }
    }

    /// What the replay keeps between calls (not module state: none of it is a parameter).
    private final class State {
        var signature: [String] = []
        var graphs: [[Int]: (GraphEvaluation, Int8Kernels?)] = [:]
        var ranges: [[ActivationRange?]] = []
        var inputRange = ActivationRange(lower: 0, upper: 0)
        var packed: [Int: TorchObject] = [:]
        var bf16: [UInt: Tensor] = [:]
    }

    /// Prepares `network` for `precision`, calibrating on `calibration` (`[N, 3, S, S]` normalized faces, the
    /// network's usual input) in batches of `batchSize`.
    /// - Throws: ``PrecisionError`` when the network cannot be traced, the CPU lacks the precision, or its
    ///   templates fall below `tolerance`.
    public init(_ network: Module, precision: InferencePrecision, calibration: Tensor, batchSize: Int = 64,
                tolerance: Double) throws {
        guard calibration.rank == 4, calibration.size(0) > 0 else { throw PrecisionError.noCalibrationFaces }
        network.eval()
        self.network = network
        self.precision = precision
        calibrationFaces = calibration.size(0)
        state = State()
        super.init()
        if precision == .int8 { try QuantizedEngine.select("onednn") }
        let batches = stride(from: 0, to: calibration.size(0), by: max(batchSize, 1)).map {
            calibration.narrow(0, start: $0, length: min(batchSize, calibration.size(0) - $0))
        }
        var expected: [Tensor] = []
        for batch in batches {
            let (evaluation, _) = try graph(for: batch, building: false)
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
        calibrationCosine = cosines / Double(calibrationFaces)
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
        let (evaluation, kernels) = try graph(for: input, building: true)
        switch precision {
        case .fp32:
            return try evaluation.run(input) { _, node, arguments in try Torch.tryCall(node.name, arguments).values }
        case .bf16:
            let output = try evaluation.run(input.to(.bfloat16), constant: bfloat16) { _, node, arguments in
                try Torch.tryCall(node.name, arguments).values
            }
            return output.to(.float32)
        case .int8:
            guard let kernels else { throw PrecisionError.untraceable("no int8 plan") }
            let output = try evaluation.run(input) { index, node, arguments in
                try kernels.run(index, node, arguments, range: range(of:))
            }
            return output.isQuantized ? output.dequantized() : output
        }
    }

    /// The traced graph for `input`'s shape (and its int8 plan once calibrated), traced on first use.
    private func graph(for input: Tensor, building: Bool) throws -> (GraphEvaluation, Int8Kernels?) {
        if let known = state.graphs[input.shape], !building || known.1 != nil || precision != .int8 { return known }
        let graph = try OperatorGraph.trace(network, input: input.to(.float32))
        if state.signature.isEmpty {
            state.signature = graph.signature
        } else if graph.signature != state.signature {
            throw PrecisionError.untraceable(
                "it runs different operators for input shape \(input.shape) than for the calibration faces")
        }
        let kernels = building && precision == .int8
            ? try Int8Kernels(graph, ranges: state.ranges, packedCache: &state.packed) : nil
        let entry = (GraphEvaluation(graph), kernels)
        state.graphs[input.shape] = entry
        return entry
    }

    private func merge(_ ranges: [[ActivationRange?]], input: ActivationRange) {
        if state.ranges.isEmpty {
            state.ranges = ranges
            state.inputRange = input
            return
        }
        state.inputRange = state.inputRange.union(input)
        for node in ranges.indices {
            for result in ranges[node].indices {
                guard let range = ranges[node][result] else { continue }
                state.ranges[node][result] = state.ranges[node][result].map { $0.union(range) } ?? range
            }
        }
    }

    private func range(of value: OperatorGraph.Value) -> ActivationRange? {
        switch value {
        case .input: state.inputRange
        case .result(let node, let index): index < state.ranges[node].count ? state.ranges[node][index] : nil
        default: nil
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
