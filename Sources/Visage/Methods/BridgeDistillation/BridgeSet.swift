import Foundation

/// The public high-resolution faces the knowledge is bridged through (Ge et al.: UMDFaces), grown from a set of
/// aligned faces by views of each face: the face itself, its mirror image, and crop-and-rescale views.
///
/// A live teacher (``TeacherFeatures/embedded(by:name:source:keptIn:showProgress:)``) embeds every view, so the bridge
/// set can be several times the faces on disk. Views are deterministic: view `v` of face `i` is the same image in
/// every run (crops are seeded by ``seed``, `i` and `v`, never by a run's seed), so a teacher feature file written
/// by one run fits every other run on the same faces and settings.
public struct BridgeSet: Sendable, Equatable, Codable {
    /// Add each face's mirror image.
    public var flips: Bool
    /// Crop-and-rescale views per face (each also mirrored with probability ½).
    public var crops: Int
    /// Fraction of the side a crop keeps, drawn per view from this range, rescaled to the full size.
    public var cropScale: ClosedRange<Double>
    /// Seeds the crops (independent of the run's seed; see above).
    public var seed: UInt64

    /// The faces alone by default.
    public init(flips: Bool = false, crops: Int = 0, cropScale: ClosedRange<Double> = 0.8...0.95, seed: UInt64 = 0) {
        self.flips = flips
        self.crops = crops
        self.cropScale = cropScale
        self.seed = seed
    }

    /// Views per face: 1, +1 with flips, + crops.
    public var viewsPerFace: Int { 1 + (flips ? 1 : 0) + crops }

    /// Throws for the first invalid setting, naming its key under `bridge_set`.
    public func validate() throws {
        guard (0...64).contains(crops) else {
            throw TrainingConfigError(key: "bridge_set.crops", "\(crops) is invalid: must be in 0…64")
        }
        guard cropScale.lowerBound > 0, cropScale.upperBound <= 1 else {
            throw TrainingConfigError(key: "bridge_set.crop_scale", "\(cropScale) is invalid: must lie within (0, 1]")
        }
    }

    /// The bridge set of `faces`.
    public func source(of faces: any FaceSource) throws -> BridgeSetSource {
        try validate()
        return BridgeSetSource(faces: faces, settings: self)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case flips, crops, seed
        case cropScale = "crop_scale"
    }

    /// Reads the settings: absent keys take the defaults, unknown keys and invalid values throw.
    public init(from decoder: any Decoder) throws {
        try ConfigKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue), context: "the bridge set")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BridgeSet()
        self.init(flips: try container.decodeSetting(Bool.self, forKey: .flips) ?? defaults.flips,
                  crops: try container.decodeSetting(Int.self, forKey: .crops) ?? defaults.crops,
                  cropScale: try container.decodeSetting(ClosedRange<Double>.self, forKey: .cropScale)
                      ?? defaults.cropScale,
                  seed: try container.decodeSetting(UInt64.self, forKey: .seed) ?? defaults.seed)
        try validate()
    }
}

/// The samples of a ``BridgeSet``: sample `v · N + i` is view `v` of face `i` (N faces), with face `i`'s label;
/// view 0 is the face, then its mirror (`name#flip`), then the crops (`name#crop1`, …).
public struct BridgeSetSource: FaceSource {
    /// The faces on disk.
    public let faces: any FaceSource
    /// How they are viewed.
    public let settings: BridgeSet

    public var count: Int { faces.count * settings.viewsPerFace }

    /// The face that sample `index` is a view of.
    public func faceIndex(of index: Int) -> Int { index % faces.count }

    public func label(at index: Int) -> Int { faces.label(at: faceIndex(of: index)) }

    public func name(at index: Int) -> String {
        let face = faces.name(at: faceIndex(of: index))
        switch view(of: index) {
        case .face: return face
        case .mirror: return face + "#flip"
        case .crop(let number): return face + "#crop\(number)"
        }
    }

    public func image(at index: Int) throws -> Image {
        let face = faceIndex(of: index)
        let image = try faces.image(at: face)
        switch view(of: index) {
        case .face: return image
        case .mirror: return image.flippedHorizontally()
        case .crop(let number):
            var generator = SeededRandom(seed: SeededRandom.derive(settings.seed, UInt64(face), UInt64(number)))
            return Augmentation(flipProbability: 0.5, cropScale: settings.cropScale).apply(to: image, using: &generator)
        }
    }

    private enum View { case face, mirror, crop(Int) }

    private func view(of index: Int) -> View {
        var view = index / faces.count
        if view == 0 { return .face }
        if settings.flips {
            if view == 1 { return .mirror }
            view -= 1
        }
        return .crop(view)
    }
}
