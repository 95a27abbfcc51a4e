/// A synthetic face dataset: `identities` people with `imagesPerIdentity` photos each, every photo's conditions
/// drawn from `ranges` by a seed derived from (dataset seed, identity, photo), so any photo can be rendered on
/// its own, in any order, on any thread — on the fly for training, or written to disk once (Visage writes it as an
/// ImageFolder).
///
/// Photo indices past `imagesPerIdentity` are valid too and give fresh photos of the same person (unlimited
/// augmentation for on-the-fly training); the written dataset and its pairs use the first `imagesPerIdentity`.
public struct SyntheticDataset: Sendable {
    /// Number of people.
    public let identities: Int
    /// Photos per person written to disk and paired.
    public let imagesPerIdentity: Int
    /// Seed of the people, their photos' conditions and the pairs.
    public let seed: UInt64
    /// Ranges the photos' conditions are drawn from.
    public let ranges: SyntheticConditionRanges

    /// - Throws: `SyntheticFaceError.invalidArgument` for fewer than 1 identity or image, or invalid ranges.
    public init(identities: Int, imagesPerIdentity: Int, seed: UInt64 = 0,
                ranges: SyntheticConditionRanges = .standard) throws {
        try SyntheticFaceError.require(identities >= 1, "identities", identities, "must be at least 1")
        try SyntheticFaceError.require(identities <= 10_000_000, "identities", identities, "must be at most 10,000,000")
        try SyntheticFaceError.require(imagesPerIdentity >= 1, "images per identity", imagesPerIdentity,
                                       "must be at least 1")
        // Keeps every image index (identity × images per identity) representable.
        try SyntheticFaceError.require(imagesPerIdentity <= (1 << 50) / identities, "images per identity",
                                       imagesPerIdentity, "must be at most \((1 << 50) / identities) with \(identities) "
                                           + "identities (2^50 images in all)")
        try ranges.validate()
        self.identities = identities
        self.imagesPerIdentity = imagesPerIdentity
        self.seed = seed
        self.ranges = ranges
    }

    /// The person with index `index` (0-based).
    public func identity(_ index: Int) -> SyntheticIdentity {
        SyntheticIdentity(seed: SeededRandom.derive(seed, 0x1D, UInt64(index)))
    }

    /// The person's folder name: `id` and the zero-padded index, e.g. `id0042`.
    public func identityName(_ index: Int) -> String {
        "id" + Self.padded(index, width: max(4, String(identities - 1).count))
    }

    /// A photo's file name: `<identity-name>_<photo>.png` with the photo index zero-padded, e.g. `id0042_0003.png`.
    public func fileName(identity: Int, image: Int) -> String {
        identityName(identity) + "_" + Self.padded(image, width: max(4, String(imagesPerIdentity - 1).count)) + ".png"
    }

    /// The nuisance of photo `image` of person `identity`; with a `shift`, the same photo's nuisance with the
    /// shifted quantity redrawn (deterministically) and everything else kept.
    public func conditions(identity: Int, image: Int, shift: SyntheticConditionShift? = nil) -> SyntheticConditions {
        var random = SeededRandom(seed: SeededRandom.derive(seed, 0xC0, UInt64(identity), UInt64(image)))
        let drawn = SyntheticConditions.random(using: &random, in: ranges)
        guard let shift else { return drawn }
        var shiftRandom = SeededRandom(seed: SeededRandom.derive(seed, 0x5F, UInt64(identity), UInt64(image)))
        return shift.applied(to: drawn, using: &shiftRandom)
    }

    /// Photo `image` of person `identity`, rendered in memory, under its conditions moved by `shift` when given.
    /// Pass the person's prepared `head` when rendering several of their photos, to build it once.
    public func face(identity: Int, image: Int, shift: SyntheticConditionShift? = nil,
                     head: SyntheticHead? = nil) throws -> SyntheticFace {
        try SyntheticFaceError.require((0..<identities).contains(identity), "identity", identity,
                                       "must be within 0..<\(identities)")
        try SyntheticFaceError.require(image >= 0, "image", image, "must be ≥ 0")
        try shift?.validate()
        let person = self.identity(identity)
        if let head {
            try SyntheticFaceError.require(head.identity == person, "head", "of seed \(head.identity.seed)",
                                           "was not prepared from identity \(identity) (seed \(person.seed))")
        }
        let prepared = head ?? SyntheticHead(person)
        return try SyntheticFaceRenderer().renderFace(prepared, conditions(identity: identity, image: image, shift: shift))
    }

    /// All `imagesPerIdentity` photos of person `identity`.
    public func images(identity: Int) throws -> [Image] {
        try SyntheticFaceError.require((0..<identities).contains(identity), "identity", identity,
                                       "must be within 0..<\(identities)")
        let head = SyntheticHead(self.identity(identity))
        return try (0..<imagesPerIdentity).map { try face(identity: identity, image: $0, head: head).image }
    }

    /// Verification pairs over the dataset's files, `folds` identity-disjoint folds (see `SyntheticPairList`).
    public func pairs(folds: Int = 10, pairsPerFold: Int? = nil) throws -> SyntheticPairList {
        try SyntheticPairList.sample(identities: identities, images: imagesPerIdentity, folds: folds,
                                     perFold: pairsPerFold, seed: seed, name: identityName,
                                     file: { fileName(identity: $0, image: $1) })
    }

    private static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
