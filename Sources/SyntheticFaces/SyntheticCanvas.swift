/// A square floating-point RGB frame (the alpha lane is unused) with the camera effects applied after shading:
/// optical blur, capture at a lower resolution, sensor noise and 8-bit quantization.
struct SyntheticCanvas {
    let size: Int
    var pixels: [SIMD4<Float>]

    init(size: Int) {
        self.size = size
        pixels = [SIMD4<Float>](repeating: .zero, count: size * size)
    }

    /// Blends `color` over the pixel at `index` with opacity `alpha`.
    @inline(__always)
    mutating func blend(_ index: Int, _ color: SIMD4<Float>, _ alpha: Float) {
        pixels[index] += (color - pixels[index]) * alpha
    }

    /// A separable Gaussian blur with standard deviation `sigma` pixels (edges clamped).
    mutating func blur(sigma: Float) {
        guard sigma > 0.05 else { return }
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { PortableMath.expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        pixels = Self.convolve(pixels, size: size, kernel: kernel, horizontal: true)
        pixels = Self.convolve(pixels, size: size, kernel: kernel, horizontal: false)
    }

    private static func convolve(_ source: [SIMD4<Float>], size: Int, kernel: [Float], horizontal: Bool) -> [SIMD4<Float>] {
        let radius = kernel.count / 2
        var result = source
        source.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                for y in 0..<size {
                    for x in 0..<size {
                        var sum = SIMD4<Float>.zero
                        for k in -radius...radius {
                            let sx = horizontal ? min(max(x + k, 0), size - 1) : x
                            let sy = horizontal ? y : min(max(y + k, 0), size - 1)
                            sum += input[sy * size + sx] * kernel[k + radius]
                        }
                        output[y * size + x] = sum
                    }
                }
            }
        }
        return result
    }

    /// Captures the frame at `resolution` pixels square (area averaging), adds Gaussian noise of `noiseSigma`
    /// 8-bit levels at that resolution, scales back up bilinearly and quantizes to an 8-bit RGB image.
    func captured(resolution: Int, noiseSigma: Float, noiseSeed: UInt64) -> Image {
        var low = resolution < size ? Self.reduce(pixels, from: size, to: resolution) : pixels
        if noiseSigma > 0 {
            var random = SeededRandom(seed: noiseSeed)
            let scale = noiseSigma / 255 * 1.732_050_8 / 65536
            for index in low.indices {
                var noise = SIMD4<Float>.zero
                for channel in 0..<3 {
                    // The sum of four uniform 16-bit values, centred and scaled to unit variance.
                    let bits = random.next()
                    var sum: Float = 0
                    for part in 0..<4 { sum += Float((bits >> UInt64(16 * part)) & 0xFFFF) }
                    noise[channel] = (sum - 2 * 65535) * scale
                }
                low[index] += noise
            }
        }
        let full = resolution < size ? Self.enlarge(low, from: resolution, to: size) : low
        var bytes = [UInt8](repeating: 0, count: size * size * 3)
        for index in 0..<(size * size) {
            let p = full[index]
            for channel in 0..<3 {
                let value = p[channel] * 255 + 0.5
                bytes[index * 3 + channel] = value >= 255 ? 255 : value > 0 ? UInt8(value) : 0   // NaN → 0
            }
        }
        return Image(width: size, height: size, channels: 3, pixels: bytes)
    }

    /// Area-averaged reduction of a square frame.
    private static func reduce(_ source: [SIMD4<Float>], from size: Int, to target: Int) -> [SIMD4<Float>] {
        let weights = areaWeights(from: size, to: target)
        var rows = [SIMD4<Float>](repeating: .zero, count: size * target)
        for y in 0..<size {
            for (x, taps) in weights.enumerated() {
                var sum = SIMD4<Float>.zero
                for (index, weight) in taps { sum += source[y * size + index] * weight }
                rows[y * target + x] = sum
            }
        }
        var result = [SIMD4<Float>](repeating: .zero, count: target * target)
        for (y, taps) in weights.enumerated() {
            for x in 0..<target {
                var sum = SIMD4<Float>.zero
                for (index, weight) in taps { sum += rows[index * target + x] * weight }
                result[y * target + x] = sum
            }
        }
        return result
    }

    /// For each target index, the source indices it overlaps and their normalized overlap lengths.
    private static func areaWeights(from size: Int, to target: Int) -> [[(Int, Float)]] {
        let step = Float(size) / Float(target)
        return (0..<target).map { t in
            let start = Float(t) * step, end = Float(t + 1) * step
            var taps: [(Int, Float)] = []
            var index = Int(start.rounded(.down))
            while index < size && Float(index) < end {
                let overlap = min(end, Float(index + 1)) - max(start, Float(index))
                if overlap > 0 { taps.append((index, overlap / step)) }
                index += 1
            }
            return taps
        }
    }

    /// Bilinear enlargement of a square frame (pixel centres aligned, edges clamped).
    private static func enlarge(_ source: [SIMD4<Float>], from size: Int, to target: Int) -> [SIMD4<Float>] {
        let step = Float(size) / Float(target)
        let taps: [(Int, Int, Float)] = (0..<target).map { t in
            let position = min(max((Float(t) + 0.5) * step - 0.5, 0), Float(size - 1))
            let lower = Int(position.rounded(.down))
            return (lower, min(lower + 1, size - 1), position - Float(lower))
        }
        var result = [SIMD4<Float>](repeating: .zero, count: target * target)
        for y in 0..<target {
            let (y0, y1, fy) = taps[y]
            for x in 0..<target {
                let (x0, x1, fx) = taps[x]
                let top = source[y0 * size + x0] * (1 - fx) + source[y0 * size + x1] * fx
                let bottom = source[y1 * size + x0] * (1 - fx) + source[y1 * size + x1] * fx
                result[y * target + x] = top * (1 - fy) + bottom * fy
            }
        }
        return result
    }
}
