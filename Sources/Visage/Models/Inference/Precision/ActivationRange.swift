import Torch

/// The smallest and largest value a tensor of the graph took over the calibration faces, and the 8-bit affine
/// quantization (scale, zero point) that covers it.
struct ActivationRange: Equatable, Codable, Sendable {
    var lower: Double
    var upper: Double

    /// The range of `tensor`'s values: all of them (`fitted` false), or the part whose quantization reproduces a
    /// sample of them best (``fitted(to:)``).
    init(of tensor: Tensor, fitted: Bool) {
        let whole = ActivationRange(of: tensor)
        self = fitted ? whole.fitted(to: Self.samples(of: tensor)) : whole
    }

    /// The range of all of `tensor`'s values.
    init(of tensor: Tensor) {
        lower = tensor.min().item
        upper = tensor.max().item
    }

    init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The range within `self` whose 8-bit quantization reproduces `samples` with the least squared error:
    /// both ends shrunk toward zero by the same fraction (1, 0.98, … 0.3), values beyond clipped. Min/max ranges
    /// spend most codes on a few outliers; this is what PyTorch's histogram observer optimizes, on samples.
    func fitted(to samples: [Float]) -> ActivationRange {
        guard !samples.isEmpty, upper > lower else { return self }
        var best = self, bestError = Double.infinity
        for step in 0...35 {
            let fraction = 1 - 0.02 * Double(step)
            let candidate = ActivationRange(lower: lower * fraction, upper: upper * fraction)
            let (scale, zeroPoint) = candidate.quantization
            var error = 0.0
            for sample in samples {
                let value = Double(sample)
                let code = min(max((value / scale).rounded() + Double(zeroPoint), 0), 255)
                let difference = (code - Double(zeroPoint)) * scale - value
                error += difference * difference
            }
            if error < bestError { bestError = error; best = candidate }
        }
        return best
    }

    /// About `count` of `tensor`'s values, evenly spaced through it.
    static func samples(of tensor: Tensor, count: Int = 32_768) -> [Float] {
        let flat = tensor.detached().to(.float32).contiguous().view([-1])
        let step = max(flat.count / count, 1)
        return flat[TensorIndex.slice(step: step)].contiguous().array(of: Float.self)
    }

    /// The range covering both.
    func union(_ other: ActivationRange) -> ActivationRange {
        ActivationRange(lower: min(lower, other.lower), upper: max(upper, other.upper))
    }

    /// quint8 parameters: the range widened to include 0 (so zero is exact, as padding needs), split into 255
    /// steps; the zero point is the code of 0.
    var quantization: (scale: Double, zeroPoint: Int) {
        let low = min(lower, 0), high = max(upper, 0)
        let scale = max((high - low) / 255, 1e-8)
        let zeroPoint = Int((-low / scale).rounded())
        return (scale, min(max(zeroPoint, 0), 255))
    }
}
