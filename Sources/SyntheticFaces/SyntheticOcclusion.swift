/// Something in front of the face for one photo.
///
/// Bars and patches are placed in the 112×112 output frame; sunglasses and masks are worn and follow the head.
public enum SyntheticOcclusion: Sendable, Equatable, Codable {
    /// Nothing in the way.
    case none
    /// Dark lenses over both eyes.
    case sunglasses
    /// A face mask over nose, mouth and chin, in the given colour (RGB, 0...1).
    case mask(color: SIMD3<Double>)
    /// A rotated bar (a finger, a strap, a pole) centred at (x, y) in output pixels, angle in degrees.
    case bar(x: Double, y: Double, length: Double, thickness: Double, angle: Double, color: SIMD3<Double>)
    /// An axis-aligned rectangle (a hand, a sticker) with its top-left corner at (x, y) in output pixels.
    case patch(x: Double, y: Double, width: Double, height: Double, color: SIMD3<Double>)
}
