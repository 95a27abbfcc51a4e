import SyntheticFaces

/// A ``SyntheticDataset`` as a ``FaceSource``: every face is rendered when the loader asks for it, so a model
/// trains on synthetic people without a dataset on disk.
///
/// Sample `index` is photo `index % imagesPerIdentity` of person `index / imagesPerIdentity` (label = person),
/// and always renders to the same image, on any thread. A source built with other `ranges` over the same
/// dataset shows the same people under other conditions — a "hard" companion set for distillation; one built
/// with a ``SyntheticConditionShift`` shows the very same photos with one condition moved, under the same names.
public struct SyntheticFaceSource: FaceSource {
    /// The people and the seed; its ranges are replaced by ``ranges`` when one was given.
    public let dataset: SyntheticDataset
    /// Photos served per person; more than the dataset's `imagesPerIdentity` gives fresh photos of each.
    public let imagesPerIdentity: Int
    /// The condition every photo is moved by, if any.
    public let shift: SyntheticConditionShift?

    /// - Parameters:
    ///   - ranges: conditions to draw the photos from instead of the dataset's own (same people, same seed).
    ///   - imagesPerIdentity: photos per person; the dataset's count when nil.
    ///   - shift: a condition to move every photo by (see ``SyntheticDataset/conditions(identity:image:shift:)``).
    /// - Throws: `SyntheticFaceError.invalidArgument` for invalid ranges or shift, or fewer than 1 photo per person.
    public init(dataset: SyntheticDataset, ranges: SyntheticConditionRanges? = nil, imagesPerIdentity: Int? = nil,
                shift: SyntheticConditionShift? = nil) throws {
        try shift?.validate()
        let perIdentity = imagesPerIdentity ?? dataset.imagesPerIdentity
        try SyntheticFaceError.require(perIdentity >= 1, "images per identity", perIdentity, "must be at least 1")
        try SyntheticFaceError.require(dataset.identities <= Int.max / perIdentity, "images per identity", perIdentity,
                                       "times \(dataset.identities) identities overflows the sample count")
        self.dataset = try ranges.map {
            try SyntheticDataset(identities: dataset.identities, imagesPerIdentity: dataset.imagesPerIdentity,
                                 seed: dataset.seed, ranges: $0)
        } ?? dataset
        self.imagesPerIdentity = perIdentity
        self.shift = shift
    }

    public var count: Int { dataset.identities * imagesPerIdentity }

    public func label(at index: Int) -> Int { index / imagesPerIdentity }

    /// The path the photo would have in the dataset's ImageFolder, e.g. `id0042/id0042_0003.png`.
    public func name(at index: Int) -> String {
        let identity = index / imagesPerIdentity
        return dataset.identityName(identity) + "/" + dataset.fileName(identity: identity, image: index % imagesPerIdentity)
    }

    /// The conditions sample `index` is rendered under.
    public func conditions(at index: Int) -> SyntheticConditions {
        dataset.conditions(identity: index / imagesPerIdentity, image: index % imagesPerIdentity, shift: shift)
    }

    public func image(at index: Int) throws -> Image {
        guard (0..<count).contains(index) else {
            throw DataError.invalidImage(
                "synthetic sample \(index)", "is outside the source's \(count) samples")
        }
        return try dataset.face(identity: index / imagesPerIdentity, image: index % imagesPerIdentity, shift: shift).image
    }
}
