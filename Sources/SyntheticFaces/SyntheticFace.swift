/// A rendered synthetic photo and where its five landmarks landed.
public struct SyntheticFace: Sendable, Equatable {
    /// The aligned 112×112 RGB image.
    public var image: Image
    /// Left eye, right eye, nose tip, left and right mouth corner ("left" is the image left) in output pixels,
    /// pixel centres at integer coordinates (the ArcFace template's convention).
    public var landmarks: [SIMD2<Double>]
}
