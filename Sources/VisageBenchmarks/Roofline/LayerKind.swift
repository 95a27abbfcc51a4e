import Torch

/// What kind of layer an operator call of a face network is, for the roofline's per-layer profile.
public enum LayerKind: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable {
    /// Pointwise (1×1) convolution.
    case pointwise = "conv 1×1"
    /// Depthwise convolution (one input channel per group).
    case depthwise = "depthwise"
    /// Dense k×k convolution (k > 1), 3×3 in these networks.
    case dense = "dense k×k"
    /// Batch norm, PReLU/ReLU and other activations, residual adds and products: one pass over memory each.
    case elementwise = "BN/act/add"
    /// Fully connected layers.
    case linear = "linear"
    /// Max, average and global pooling.
    case pooling = "pool"
    /// Everything else (layout copies, padding, reshapes).
    case other = "other"

    /// The kind of a call to operator `name` with these input shapes; a convolution's kind comes from its input
    /// `[N, C, H, W]` and weight `[O, C/groups, kH, kW]`.
    public init(operator name: String, inputShapes: [[Int]]) {
        let op = name.hasPrefix("aten::") ? String(name.dropFirst(6)) : name
        if op.contains("conv") {
            guard inputShapes.count >= 2, inputShapes[0].count == 4, inputShapes[1].count == 4 else {
                self = .dense
                return
            }
            let (channels, weight) = (inputShapes[0][1], inputShapes[1])
            if weight[2] == 1 && weight[3] == 1 {
                self = .pointwise
            } else if weight[1] == 1 && channels > 1 {
                self = .depthwise
            } else {
                self = .dense
            }
        } else if ["linear", "addmm", "mm", "matmul"].contains(op) {
            self = .linear
        } else if op.contains("pool") || op == "mean" {
            self = .pooling
        } else if ["norm", "relu", "prelu", "add", "mul", "sub", "hardtanh", "clamp", "sigmoid", "threshold"]
            .contains(where: { op.contains($0) })
        {
            self = .elementwise
        } else {
            self = .other
        }
    }
}

/// A network's forward pass as libtorch's profiler saw it: time per ``LayerKind`` and bytes moved.
public struct LayerProfile: Sendable, Codable, Equatable {
    /// Microseconds per kind, summed over the profiled passes' top-level operators.
    public var microseconds: [LayerKind: Double]
    /// Bytes read per pass: every tensor input of every top-level operator (weights included), at 4 bytes an
    /// element (these networks are fp32).
    public var bytesRead: Double
    /// Bytes written per pass: what libtorch's allocator handed each operator (its outputs and scratch), plus
    /// the first input of in-place operators (`relu_`, `add_`), which they overwrite.
    public var bytesWritten: Double

    /// Summarizes `profile`, the record of `passes` forward passes.
    public init(_ profile: OperatorProfile, passes: Int = 1) {
        var microseconds: [LayerKind: Double] = [:]
        var read = 0.0
        var written = 0.0
        for call in profile.calls {
            microseconds[LayerKind(operator: call.name, inputShapes: call.inputShapes), default: 0] += call.microseconds
            let inputs = call.inputShapes.filter { !$0.isEmpty }.map { 4 * Double($0.reduce(1, *)) }
            read += inputs.reduce(0, +)
            written += Double(call.allocatedBytes)
            if call.name.hasSuffix("_"), let first = inputs.first { written += first }
        }
        let scale = 1 / Double(max(1, passes))
        self.microseconds = microseconds.mapValues { $0 * scale }
        bytesRead = read * scale
        bytesWritten = written * scale
    }

    /// Each kind's share of the profiled time, 0…1.
    public var shares: [LayerKind: Double] {
        let total = microseconds.values.reduce(0, +)
        return total > 0 ? microseconds.mapValues { $0 / total } : [:]
    }
}
