/// A small seeded pseudo-random generator (SplitMix64) whose stream is identical on every run and machine.
///
/// Everything the synthetic face generator samples goes through this type with integer and basic IEEE
/// arithmetic only, so an identity seed means the same face everywhere. It also conforms to
/// `RandomNumberGenerator` for callers who want to shuffle with it.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    /// The internal state; two generators with equal state produce equal streams.
    public private(set) var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mixBits(state)
    }

    /// A uniform value in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform value in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// An approximately normal value (the Irwin–Hall sum of twelve uniforms), so no transcendental function
    /// can make two machines disagree; the tails stop at six deviations.
    public mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += unit() }
        return mean + deviation * (sum - 6)
    }

    /// A normal value clamped to `range`.
    public mutating func normal(mean: Double, deviation: Double, clampedTo range: ClosedRange<Double>) -> Double {
        min(max(normal(mean: mean, deviation: deviation), range.lowerBound), range.upperBound)
    }

    /// A uniform integer in `0..<count` (`count` > 0).
    public mutating func index(below count: Int) -> Int {
        precondition(count > 0, "index(below:) needs a positive count")
        return Int(next().multipliedFullWidth(by: UInt64(count)).high)
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// An index drawn with the given relative weights (at least one positive).
    public mutating func pick(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "pick(weights:) needs a positive weight")
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.lastIndex { $0 > 0 }!
    }

    /// A seed derived from `seed` and `values`, for independent streams (one per identity, per image, ...).
    public static func derive(_ seed: UInt64, _ values: UInt64...) -> UInt64 {
        var hash = mixBits(seed ^ 0x6A09_E667_F3BC_C908)
        for value in values {
            hash = mixBits(hash &+ 0x9E37_79B9_7F4A_7C15 ^ mixBits(value &+ 0xBB67_AE85_84CA_A73B))
        }
        return hash
    }

    private static func mixBits(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
