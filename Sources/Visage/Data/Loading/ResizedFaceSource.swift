/// Another ``FaceSource``'s images resized to `side`×`side` (box average when shrinking), for a model whose
/// input is smaller or larger than the aligned crops, e.g. a fast 56×56 model on 112×112 faces.
public struct ResizedFaceSource: FaceSource {
    public let base: any FaceSource
    /// The output side in pixels.
    public let side: Int

    public init(_ base: any FaceSource, side: Int) throws {
        guard side >= 8 else { throw DataError.invalidArgument("resize side must be at least 8, got \(side)") }
        self.base = base
        self.side = side
    }

    public var count: Int { base.count }

    public func label(at index: Int) -> Int { base.label(at: index) }

    public func name(at index: Int) -> String { base.name(at: index) }

    public func image(at index: Int) throws -> Image {
        try base.image(at: index).resized(width: side, height: side, filter: .area)
    }
}
