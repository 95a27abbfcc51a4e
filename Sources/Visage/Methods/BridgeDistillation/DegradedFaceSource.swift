/// Another source's faces degraded deterministically: sample `i` always gets the same degradation (a generator
/// seeded by `seed` and `i`), so an evaluation is repeatable.
public struct DegradedFaceSource: FaceSource {
    /// The faces before degradation.
    public let base: any FaceSource
    /// Applied to every image.
    public let degradation: Degradation
    /// Seeds every image's generator.
    public let seed: UInt64

    /// `base`'s faces degraded by `degradation`.
    public init(_ base: any FaceSource, degradation: Degradation, seed: UInt64 = 0) {
        self.base = base
        self.degradation = degradation
        self.seed = seed
    }

    /// The number of images.
    public var count: Int { base.count }

    /// The base sample's label.
    public func label(at index: Int) -> Int { base.label(at: index) }

    /// The base sample's name.
    public func name(at index: Int) -> String { base.name(at: index) }

    /// The base image, degraded; a degradation error names the sample.
    public func image(at index: Int) throws -> Image {
        var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(index)))
        let image = try base.image(at: index)
        do {
            return try degradation.apply(to: image, using: &generator)
        } catch {
            throw DataError.invalidImage(base.name(at: index), "cannot be degraded: \(error)")
        }
    }
}
