import Foundation

/// Training-time augmentation of aligned faces: flips, crop-and-rescale, photometric jitter.
public struct Augmentation: Sendable, Equatable, Codable {
    /// Probability of a horizontal flip.
    public var flipProbability: Double = 0.5
    /// Fraction of the side kept by a random crop, drawn from this range and rescaled to full size (1…1 = off).
    public var cropScale: ClosedRange<Double> = 1...1
    /// Maximum relative brightness change (0.2 = ±20 %).
    public var brightness: Double = 0
    /// Maximum relative contrast change.
    public var contrast: Double = 0
    /// Maximum change of log(gamma).
    public var gamma: Double = 0

    public init(flipProbability: Double = 0.5, cropScale: ClosedRange<Double> = 1...1, brightness: Double = 0,
                contrast: Double = 0, gamma: Double = 0) {
        self.flipProbability = flipProbability
        self.cropScale = cropScale
        self.brightness = brightness
        self.contrast = contrast
        self.gamma = gamma
    }

    /// The field's usual face-recognition training augmentation: flips only.
    public static let standard = Augmentation()

    /// `image` augmented with randomness from `generator`.
    public func apply(to image: Image, using generator: inout SeededRandom) -> Image {
        var result = image
        if generator.unit() < flipProbability { result = result.flippedHorizontally() }
        if cropScale.lowerBound < 1 {
            let scale = cropScale.lowerBound + (cropScale.upperBound - cropScale.lowerBound) * generator.unit()
            let width = max(1, Int((Double(image.width) * scale).rounded()))
            let height = max(1, Int((Double(image.height) * scale).rounded()))
            let x0 = Int(generator.unit() * Double(image.width - width + 1))
            let y0 = Int(generator.unit() * Double(image.height - height + 1))
            result = result.cropped(x: x0, y: y0, width: width, height: height)
                .resized(width: image.width, height: image.height, filter: .bilinear)
        }
        if brightness > 0 || contrast > 0 || gamma > 0 {
            let gain = 1 + brightness * (2 * generator.unit() - 1)
            let stretch = 1 + contrast * (2 * generator.unit() - 1)
            let exponent = Foundation.exp(gamma * (2 * generator.unit() - 1))
            result = result.mappingValues { value in
                let adjusted = 255 * Foundation.pow(value / 255, exponent)
                return (adjusted - 127.5) * stretch * gain + 127.5 * gain
            }
        }
        return result
    }
}

extension Image {
    /// The `width`×`height` region whose top-left corner is (`x`, `y`); the region must lie inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> Image {
        var result = Image(width: width, height: height, channels: channels)
        let rowBytes = width * channels
        for row in 0..<height {
            let source = ((y + row) * self.width + x) * channels
            result.pixels[(row * rowBytes)..<((row + 1) * rowBytes)] = pixels[source..<(source + rowBytes)]
        }
        return result
    }
}
