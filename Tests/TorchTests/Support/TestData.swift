import Torch

/// Deterministic test inputs that do not touch libtorch's global generator, so tests running in parallel
/// (and tests that seed it themselves) do not disturb one another.
struct TestData {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform sample in [low, high).
    mutating func uniform(_ low: Double = 0, _ high: Double = 1) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }

    /// A float64 tensor of uniform samples in [low, high).
    mutating func tensor(_ shape: [Int], _ low: Double = -1, _ high: Double = 1) -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in uniform(low, high) }
        return try! Tensor(values, shape: shape)
    }

    /// An int64 tensor of uniform integers in [0, upperBound).
    mutating func indices(_ shape: [Int], below upperBound: Int) -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in Int64(next() % UInt64(upperBound)) }
        return try! Tensor(values, shape: shape)
    }
}

extension Tensor {
    /// The elements as `Double`s, for comparing with hand-computed numbers.
    var doubles: [Double] { array(of: Double.self) }
}

/// Whether two lists of numbers agree elementwise within `tolerance` (absolute).
func isClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}
