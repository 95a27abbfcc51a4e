/// Reconstructed faces as a ``FaceSource`` in the ArcFace-aligned frame the inverter was trained in, upsampled
/// to `alignedSize` (112, the datasets' aligned crops), so that an engine cuts them as it cuts real aligned faces
/// (``FaceModel/faces(fromAligned:)``).
public struct ReconstructedFaces: FaceSource {
    public let images: [Image]
    public let names: [String]
    public let labels: [Int]
    public let alignedSize: Int

    public init(images: [Image], names: [String], labels: [Int], alignedSize: Int = 112) throws {
        guard images.count == names.count, images.count == labels.count else {
            throw DataError.invalidArgument("\(images.count) reconstructions, \(names.count) names and \(labels.count) "
                + "labels: they must match one for one")
        }
        self.images = images
        self.names = names
        self.labels = labels
        self.alignedSize = alignedSize
    }

    public var count: Int { images.count }
    public func label(at index: Int) -> Int { labels[index] }
    public func name(at index: Int) -> String { names[index] }

    public func image(at index: Int) throws -> Image {
        guard images.indices.contains(index) else {
            throw DataError.invalidImage("reconstruction \(index)", "is outside the \(images.count) reconstructions")
        }
        let image = images[index]
        return image.width == alignedSize ? image : image.resized(width: alignedSize, height: alignedSize, filter: .bilinear)
    }
}
