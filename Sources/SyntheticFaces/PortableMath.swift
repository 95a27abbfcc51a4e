/// Elementary functions written with basic IEEE arithmetic only, so synthetic faces come out bit-identical on
/// every platform (libm implementations differ in their last bits, and a different bit can move an edge pixel).
enum PortableMath {
    private static let ln2Hi = 6.931_471_803_691_238_164_90e-01
    private static let ln2Lo = 1.908_214_929_270_587_700_02e-10
    private static let halfPiHi = 1.570_796_326_734_125_614_17
    private static let halfPiLo = 6.077_100_506_506_192_249_30e-11

    /// e^x.
    static func exp(_ x: Double) -> Double {
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = (x * 1.442_695_040_888_963_4).rounded()
        let r = (x - k * ln2Hi) - k * ln2Lo
        var term = 1.0
        var sum = 1.0
        for i in 1...13 {
            term *= r / Double(i)
            sum += term
        }
        return sum * power2(Int(k))
    }

    /// The natural logarithm of a positive `x`.
    static func log(_ x: Double) -> Double {
        precondition(x > 0, "log of a non-positive value")
        var exponent = Int(x.exponent)
        var m = x.significand
        if m > 1.414_213_562_373_095_1 {
            m *= 0.5
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 0.0
        var power = s
        for i in stride(from: 1, through: 23, by: 2) {
            sum += power / Double(i)
            power *= s2
        }
        return 2 * sum + Double(exponent) * ln2Hi + Double(exponent) * ln2Lo
    }

    /// x^y for x ≥ 0.
    static func pow(_ x: Double, _ y: Double) -> Double {
        if x == 0 { return y == 0 ? 1 : 0 }
        return exp(y * log(x))
    }

    /// Sine and cosine of `x` radians.
    static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let k = (x * 0.636_619_772_367_581_34).rounded()
        let r = (x - k * halfPiHi) - k * halfPiLo
        let r2 = r * r
        var sinSum = r
        var cosSum = 1.0
        var sinTerm = r
        var cosTerm = 1.0
        for i in 1...8 {
            sinTerm *= -r2 / Double((2 * i) * (2 * i + 1))
            cosTerm *= -r2 / Double((2 * i - 1) * (2 * i))
            sinSum += sinTerm
            cosSum += cosTerm
        }
        switch Int(k) & 3 {
        case 0: return (sinSum, cosSum)
        case 1: return (cosSum, -sinSum)
        case 2: return (-sinSum, -cosSum)
        default: return (-cosSum, sinSum)
        }
    }

    /// Sine and cosine of an angle given in degrees.
    static func sinCos(degrees: Double) -> (sin: Double, cos: Double) {
        sinCos(degrees * 0.017_453_292_519_943_295)
    }

    /// 2^n for an integer n, exact in the normal range.
    static func power2(_ n: Int) -> Double {
        if n < -1074 { return 0 }
        if n > 1023 { return .infinity }
        if n < -1022 { return Double(sign: .plus, exponent: -1022, significand: 1) * Double(sign: .plus, exponent: n + 1022, significand: 1) }
        return Double(sign: .plus, exponent: n, significand: 1)
    }

    /// e^x in single precision for the per-pixel falloffs (relative error about 2e-7 over the useful range).
    @inline(__always)
    static func expf(_ x: Float) -> Float {
        if x < -87 { return 0 }
        if x > 88 { return .infinity }
        let t = x * 1.442_695_04
        let n = t.rounded(.down)
        let f = (t - n) * 0.693_147_18                  // 0 ≤ f < ln 2
        var p: Float = 1.0 / 5040
        p = p * f + 1.0 / 720
        p = p * f + 1.0 / 120
        p = p * f + 1.0 / 24
        p = p * f + 1.0 / 6
        p = p * f + 0.5
        p = p * f + 1
        p = p * f + 1
        return p * Float(sign: .plus, exponent: Int(n), significand: 1)
    }

    /// Hermite smoothstep from 0 at `edge0` to 1 at `edge1`.
    @inline(__always)
    static func smoothstep(_ edge0: Float, _ edge1: Float, _ x: Float) -> Float {
        let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// Hermite smoothstep in double precision.
    static func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
        let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// Coverage of a shape by signed distance `d` (positive inside) with an edge `width` wide.
    @inline(__always)
    static func coverage(_ d: Float, _ width: Float) -> Float {
        min(max(d / width + 0.5, 0), 1)
    }

    /// Value noise in `0..<1` on the integer lattice, smoothly interpolated.
    @inline(__always)
    static func valueNoise(_ x: Float, _ y: Float, seed: UInt32) -> Float {
        let ix = floor(x), iy = floor(y)
        var u = x - Float(ix), v = y - Float(iy)
        u = u * u * (3 - 2 * u)
        v = v * v * (3 - 2 * v)
        let a = latticeValue(ix, iy, seed), b = latticeValue(ix &+ 1, iy, seed)
        let c = latticeValue(ix, iy &+ 1, seed), d = latticeValue(ix &+ 1, iy &+ 1, seed)
        let top = a + (b - a) * u
        let bottom = c + (d - c) * u
        return top + (bottom - top) * v
    }

    /// The largest integer not above `x` (|x| < 2^31), without a call into libm.
    @inline(__always)
    static func floor(_ x: Float) -> Int32 {
        let truncated = Int32(x)
        return Float(truncated) > x ? truncated - 1 : truncated
    }

    /// A hash of a lattice point to `0..<1`.
    @inline(__always)
    static func latticeValue(_ x: Int32, _ y: Int32, _ seed: UInt32) -> Float {
        var h = UInt32(bitPattern: x) &* 0x27D4_EB2D ^ UInt32(bitPattern: y) &* 0x1656_67B1 ^ seed &* 0x9E37_79B9
        h = (h ^ (h >> 15)) &* 0x85EB_CA6B
        h = (h ^ (h >> 13)) &* 0xC2B2_AE35
        h ^= h >> 16
        return Float(h >> 8) * (1.0 / 16_777_216)
    }
}
