import Foundation

/// A synthetic lighting change: overall gain, gamma, and a directional ramp that darkens one side of the face,
/// as strong side light does (the "hard lighting" condition of Extended Yale B).
public struct IlluminationChange: Sendable, Equatable {
    /// Multiplier of all values (1 = unchanged).
    public var gain: Double
    /// Exponent applied to normalized values (1 = unchanged; > 1 darkens mid-tones).
    public var gamma: Double
    /// Direction the light comes from, in degrees (0 = from the image's right, 90 = from the top).
    public var direction: Double
    /// How much the far side is darkened, 0…1 (0 = uniform light).
    public var sideShadow: Double

    public init(gain: Double = 1, gamma: Double = 1, direction: Double = 0, sideShadow: Double = 0) {
        self.gain = gain
        self.gamma = gamma
        self.direction = direction
        self.sideShadow = sideShadow
    }

    /// A random change whose strength scales with `strength` (0 = none, 1 = extreme side light).
    public static func random(strength: Double, using generator: inout SeededRandom) -> IlluminationChange {
        IlluminationChange(
            gain: 1 + strength * (generator.unit() * 0.9 - 0.6),
            gamma: exp(strength * (generator.unit() * 1.2 - 0.4)),
            direction: generator.unit() * 360,
            sideShadow: strength * (0.5 + 0.45 * generator.unit()))
    }

    /// `image` under this lighting.
    public func apply(to image: Image) -> Image {
        let dx = cos(direction * .pi / 180)
        let dy = -sin(direction * .pi / 180)
        let c = image.channels
        var result = image
        let halfWidth = Double(image.width) / 2
        let halfHeight = Double(image.height) / 2
        for y in 0..<image.height {
            for x in 0..<image.width {
                // Position along the light direction in -1…1: the lit side keeps its value, the far side darkens.
                let along = ((Double(x) - halfWidth) / halfWidth * dx + (Double(y) - halfHeight) / halfHeight * dy)
                let shade = 1 - sideShadow * max(0, min(1, (1 - along) / 2)) * 1.0
                for channel in 0..<c {
                    let index = (y * image.width + x) * c + channel
                    let normalized = Double(image.pixels[index]) / 255
                    let value = 255 * pow(normalized, gamma) * gain * shade
                    result.pixels[index] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return result
    }
}
