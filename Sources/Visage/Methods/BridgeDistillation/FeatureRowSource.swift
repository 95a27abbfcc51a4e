/// A ``FaceSource`` over the rows of a feature matrix, so that the ``Trainer`` and its ``BatchLoader`` drive
/// training on precomputed features: the loader supplies the shuffled sample order, the labels and
/// `Batch.indices`; the objective reads the feature rows of those indices. Its images are blank 1×1 pixels
/// (load it with `imageSize: 1, channels: 1`), so no image is decoded.
public struct FeatureRowSource: FaceSource {
    /// The source the rows describe (for labels and names).
    public let rows: any FaceSource

    /// Rows labelled and named as the samples of `rows`.
    public init(labelsOf rows: any FaceSource) {
        self.rows = rows
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// The identity of row `index`.
    public func label(at index: Int) -> Int { rows.label(at: index) }

    /// The name of row `index`'s image.
    public func name(at index: Int) -> String { rows.name(at: index) }

    /// A blank 1×1 gray image.
    public func image(at index: Int) throws -> Image {
        Image(width: 1, height: 1, channels: 1, pixels: [0])
    }
}
