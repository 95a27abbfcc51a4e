import Foundation

extension Image {
    /// This image blurred by a Gaussian of standard deviation `sigma` pixels (borders replicated).
    public func gaussianBlurred(sigma: Double) -> Image {
        guard sigma > 0 else { return self }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let c = channels
        var horizontal = [Float](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<c {
                    var sum: Float = 0
                    for k in -radius...radius {
                        let sx = max(0, min(width - 1, x + k))
                        sum += kernel[k + radius] * Float(pixels[(y * width + sx) * c + channel])
                    }
                    horizontal[(y * width + x) * c + channel] = sum
                }
            }
        }
        var result = self
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<c {
                    var sum: Float = 0
                    for k in -radius...radius {
                        let sy = max(0, min(height - 1, y + k))
                        sum += kernel[k + radius] * horizontal[(sy * width + x) * c + channel]
                    }
                    result.pixels[(y * width + x) * c + channel] = UInt8(max(0, min(255, sum.rounded())))
                }
            }
        }
        return result
    }

    /// This image with independent Gaussian noise of standard deviation `sigma` (in 0–255 units) per value.
    public func withGaussianNoise(sigma: Double, using generator: inout SeededRandom) -> Image {
        guard sigma > 0 else { return self }
        var result = self
        for i in result.pixels.indices {
            let value = Double(result.pixels[i]) + sigma * generator.normal()
            result.pixels[i] = UInt8(max(0, min(255, value.rounded())))
        }
        return result
    }

    /// This image mirrored left to right.
    public func flippedHorizontally() -> Image {
        let (c, width, height) = (channels, width, height)
        // Raw pointers: this runs on every training sample, and checked per-value indexing was most of its cost.
        let flipped = [UInt8](unsafeUninitializedCapacity: pixels.count) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = output.baseAddress else { return }
                for y in 0..<height {
                    let row = y &* width &* c
                    for x in 0..<width {
                        let from = source + (row &+ (width &- 1 &- x) &* c)
                        let to = target + (row &+ x &* c)
                        if c == 3 {
                            (to[0], to[1], to[2]) = (from[0], from[1], from[2])
                        } else {
                            for channel in 0..<c { to[channel] = from[channel] }
                        }
                    }
                }
            }
            initialized = pixels.count
        }
        return Image(width: width, height: height, channels: c, pixels: flipped)
    }

    /// Applies `transform` to every channel value through a 256-entry lookup table.
    public func mappingValues(_ transform: (Double) -> Double) -> Image {
        let table = (0..<256).map { UInt8(max(0, min(255, transform(Double($0)).rounded()))) }
        var result = self
        for i in result.pixels.indices { result.pixels[i] = table[Int(result.pixels[i])] }
        return result
    }
}
