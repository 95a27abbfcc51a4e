/// Filters for changing an image's resolution.
public enum ResamplingFilter: String, Sendable, CaseIterable, Codable {
    /// Box average over the source area each output pixel covers (OpenCV INTER_AREA; what a low-resolution
    /// sensor does). For enlarging it falls back to bilinear.
    case area
    /// Bilinear interpolation between the four nearest pixels.
    case bilinear
    /// Bicubic convolution (Keys, a = −0.75, as OpenCV and PyTorch use).
    case bicubic
}

extension Image {
    /// This image resampled to `width`×`height` with `filter`; pixel centres are aligned as in OpenCV.
    public func resized(width: Int, height: Int, filter: ResamplingFilter) -> Image {
        if width == self.width && height == self.height { return self }
        // Separable: resample rows, then columns, in Float to keep precision between the passes.
        let horizontal = Self.weights(from: self.width, to: width, filter: filter)
        let vertical = Self.weights(from: self.height, to: height, filter: filter)
        let c = channels
        var rows = [Float](repeating: 0, count: self.height * width * c)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<self.height {
                for x in 0..<width {
                    let (start, taps) = horizontal[x]
                    for channel in 0..<c {
                        var sum: Float = 0
                        for (k, weight) in taps.enumerated() {
                            sum += weight * Float(source[(y * self.width + start + k) * c + channel])
                        }
                        rows[(y * width + x) * c + channel] = sum
                    }
                }
            }
        }
        var result = Image(width: width, height: height, channels: c)
        for y in 0..<height {
            let (start, taps) = vertical[y]
            for x in 0..<width {
                for channel in 0..<c {
                    var sum: Float = 0
                    for (k, weight) in taps.enumerated() {
                        sum += weight * rows[((start + k) * width + x) * c + channel]
                    }
                    result.pixels[(y * width + x) * c + channel] = UInt8(max(0, min(255, sum.rounded())))
                }
            }
        }
        return result
    }

    /// For each output position: the first source index and the weights of consecutive source pixels.
    private static func weights(from source: Int, to target: Int, filter: ResamplingFilter) -> [(Int, [Float])] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { index in
            var taps: [(Int, Double)] = []
            switch filter {
            case .area where scale > 1:
                let start = Double(index) * scale
                let end = start + scale
                var position = Int(start)
                while Double(position) < end && position < source {
                    let overlap = min(end, Double(position + 1)) - max(start, Double(position))
                    if overlap > 1e-9 { taps.append((position, overlap / scale)) }
                    position += 1
                }
            case .bicubic:
                let centre = (Double(index) + 0.5) * scale - 0.5
                let base = Int(centre.rounded(.down))
                for position in (base - 1)...(base + 2) {
                    taps.append((clampIndex(position, source), cubic(centre - Double(position))))
                }
            default:
                let centre = max(0, (Double(index) + 0.5) * scale - 0.5)
                let base = Int(centre.rounded(.down))
                let fraction = centre - Double(base)
                taps.append((clampIndex(base, source), 1 - fraction))
                taps.append((clampIndex(base + 1, source), fraction))
            }
            // Merge clamped duplicates into a contiguous run starting at the smallest index.
            let first = taps.map(\.0).min() ?? 0
            let last = taps.map(\.0).max() ?? 0
            var weights = [Float](repeating: 0, count: last - first + 1)
            for (position, weight) in taps { weights[position - first] += Float(weight) }
            return (first, weights)
        }
    }

    private static func clampIndex(_ index: Int, _ count: Int) -> Int { max(0, min(count - 1, index)) }

    private static func cubic(_ distance: Double) -> Double {
        let a = -0.75
        let x = abs(distance)
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }
}
