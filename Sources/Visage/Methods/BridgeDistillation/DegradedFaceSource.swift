import Foundation

/// Face images read from files and degraded deterministically: image `i` always gets the same degradation
/// (a generator seeded by `seed` and `i`), so an evaluation is repeatable.
public struct DegradedFaceSource: FaceSource {
    /// The image files, in sample order.
    public let urls: [URL]
    /// Each sample's name (the feature list's path).
    public let names: [String]
    /// Applied to every image.
    public let degradation: Degradation
    /// Seeds every image's generator.
    public let seed: UInt64

    /// Files `urls` named `names` (one name per file).
    /// - Throws: ``DataError/invalidArgument(_:)`` when the counts differ.
    public init(urls: [URL], names: [String], degradation: Degradation, seed: UInt64 = 0) throws {
        guard urls.count == names.count else {
            throw DataError.invalidArgument("\(urls.count) image files but \(names.count) names")
        }
        self.urls = urls
        self.names = names
        self.degradation = degradation
        self.seed = seed
    }

    /// The number of images.
    public var count: Int { urls.count }

    /// Evaluation images have no training label: 0.
    public func label(at index: Int) -> Int { 0 }

    /// The sample's name.
    public func name(at index: Int) -> String { names[index] }

    /// The decoded image, degraded.
    public func image(at index: Int) throws -> Image {
        var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(index)))
        do {
            return try degradation.apply(to: ImageCodec.decode(contentsOf: urls[index]), using: &generator)
        } catch let error as DataError {
            throw DataError.invalidImage(urls[index].path, "\(error)")
        }
    }
}
