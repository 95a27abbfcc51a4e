/// The nuisance of one photo: pose, light, expression, camera and occlusion.
///
/// Angles are in degrees. Positive yaw turns the face towards the image right, positive pitch lifts the chin,
/// positive roll turns the face counter-clockwise in the image. Yaw and pitch are undone by alignment only as
/// far as a similarity transform can (as for real photos aligned on five landmarks); roll is what alignment left
/// behind. The light comes from `lightAzimuth` degrees towards the image right of the camera axis and
/// `lightElevation` degrees above it.
public struct SyntheticConditions: Sendable, Equatable, Codable {
    /// Head turn in degrees (positive: towards the image right).
    public var yaw: Double
    /// Head nod in degrees (positive: chin up).
    public var pitch: Double
    /// In-plane rotation left after alignment, in degrees (positive: counter-clockwise).
    public var roll: Double
    /// Light direction off the camera axis towards the image right, in degrees.
    public var lightAzimuth: Double
    /// Light direction above the camera axis, in degrees.
    public var lightElevation: Double
    /// Strength of the directional light (0 = ambient only).
    public var lightStrength: Double
    /// Strength of the uniform ambient light.
    public var ambient: Double
    /// The facial expression.
    public var expression: SyntheticExpression
    /// Gaussian blur standard deviation in output pixels.
    public var blurSigma: Double
    /// Gaussian sensor-noise standard deviation in 8-bit levels.
    public var noiseSigma: Double
    /// Capture resolution: the face is rendered, reduced to this many pixels square and scaled back up to 112.
    public var resolution: Int
    /// What covers part of the face, if anything.
    public var occlusion: SyntheticOcclusion
    /// Background colour at the top of the frame (RGB, 0...1); it shades linearly to `backgroundBottom`.
    public var backgroundTop: SIMD3<Double>
    /// Background colour at the bottom of the frame.
    public var backgroundBottom: SIMD3<Double>
    /// Seed of the sensor noise.
    public var noiseSeed: UInt64

    /// Conditions with the given values; the defaults are the neutral frontal photo.
    public init(yaw: Double = 0, pitch: Double = 0, roll: Double = 0,
                lightAzimuth: Double = 0, lightElevation: Double = 20, lightStrength: Double = 0.7,
                ambient: Double = 0.4, expression: SyntheticExpression = .neutral,
                blurSigma: Double = 0, noiseSigma: Double = 0, resolution: Int = 112,
                occlusion: SyntheticOcclusion = .none,
                backgroundTop: SIMD3<Double> = SIMD3(0.72, 0.74, 0.76),
                backgroundBottom: SIMD3<Double> = SIMD3(0.58, 0.6, 0.63),
                noiseSeed: UInt64 = 0) {
        self.yaw = yaw
        self.pitch = pitch
        self.roll = roll
        self.lightAzimuth = lightAzimuth
        self.lightElevation = lightElevation
        self.lightStrength = lightStrength
        self.ambient = ambient
        self.expression = expression
        self.blurSigma = blurSigma
        self.noiseSigma = noiseSigma
        self.resolution = resolution
        self.occlusion = occlusion
        self.backgroundTop = backgroundTop
        self.backgroundBottom = backgroundBottom
        self.noiseSeed = noiseSeed
    }

    /// A frontal, evenly lit, neutral, sharp, unoccluded photo on a grey background.
    public static let frontal = SyntheticConditions()

    /// Throws `SyntheticFaceError.invalidArgument` naming the first value the renderer cannot honour.
    public func validate() throws {
        for (name, value, limit) in [("yaw", yaw, 90.0), ("pitch", pitch, 60.0), ("roll", roll, 180.0),
                                     ("lightAzimuth", lightAzimuth, 180.0), ("lightElevation", lightElevation, 90.0)] {
            try SyntheticFaceError.require(value.isFinite && abs(value) <= limit, name, value,
                                           "must be within ±\(Int(limit)) degrees")
        }
        for (name, value, limit) in [("lightStrength", lightStrength, 10.0), ("ambient", ambient, 10.0),
                                     ("blurSigma", blurSigma, 20.0), ("noiseSigma", noiseSigma, 255.0)] {
            try SyntheticFaceError.require(value >= 0 && value <= limit, name, value, "must be within 0...\(limit)")
        }
        try SyntheticFaceError.require((4...SyntheticFaceRenderer.size).contains(resolution), "resolution", resolution,
                                       "must be between 4 and \(SyntheticFaceRenderer.size) pixels")
        try Self.requireColor(backgroundTop, "backgroundTop")
        try Self.requireColor(backgroundBottom, "backgroundBottom")
        switch occlusion {
        case .none, .sunglasses:
            break
        case let .mask(color):
            try Self.requireColor(color, "mask color")
        case let .bar(x, y, length, thickness, angle, color):
            try Self.requireFrame([("bar x", x), ("bar y", y), ("bar angle", angle)], sizes: [("bar length", length), ("bar thickness", thickness)])
            try Self.requireColor(color, "bar color")
        case let .patch(x, y, width, height, color):
            try Self.requireFrame([("patch x", x), ("patch y", y)], sizes: [("patch width", width), ("patch height", height)])
            try Self.requireColor(color, "patch color")
        }
        let e = expression
        for (name, value, range) in [("smile", e.smile, 0.0...1.0), ("mouthOpen", e.mouthOpen, 0.0...1.0),
                                     ("browRaise", e.browRaise, -1.0...1.0), ("eyeClosure", e.eyeClosure, 0.0...1.0)] {
            try SyntheticFaceError.require(range.contains(value), name, value,
                                           "must be within \(range.lowerBound)...\(range.upperBound)")
        }
    }

    private static func requireColor(_ color: SIMD3<Double>, _ name: String) throws {
        let valid = (0..<3).allSatisfy { (0...1).contains(color[$0]) }
        try SyntheticFaceError.require(valid, name, "(\(color.x), \(color.y), \(color.z))", "components must be within 0...1")
    }

    private static func requireFrame(_ positions: [(String, Double)], sizes: [(String, Double)]) throws {
        for (name, value) in positions {
            try SyntheticFaceError.require(abs(value) <= 1000, name, value, "must be finite, within ±1000")
        }
        for (name, value) in sizes {
            try SyntheticFaceError.require(value >= 0 && value <= 1000, name, value, "must be within 0...1000 pixels")
        }
    }

    /// Conditions drawn from `ranges` (deterministic for the generator's state).
    public static func random(using random: inout SeededRandom, in ranges: SyntheticConditionRanges) -> SyntheticConditions {
        var c = SyntheticConditions()
        c.yaw = random.uniform(-ranges.maxYaw...ranges.maxYaw)
        c.pitch = random.uniform(-ranges.maxPitch...ranges.maxPitch)
        c.roll = random.uniform(-ranges.maxRoll...ranges.maxRoll)
        c.lightAzimuth = random.uniform(-ranges.maxLightAngle...ranges.maxLightAngle)
        c.lightElevation = 20 + random.uniform(-1...1) * min(0.7 * ranges.maxLightAngle, 60)
        c.lightStrength = random.uniform(ranges.lightStrength)
        c.ambient = random.uniform(ranges.ambient)
        let strength = ranges.expression
        c.expression = SyntheticExpression(
            smile: random.chance(0.5) ? random.uniform(0...strength) : 0,
            mouthOpen: random.chance(0.3) ? random.uniform(0...strength) : 0,
            browRaise: random.chance(0.35) ? random.uniform(-strength...strength) : 0,
            eyeClosure: random.chance(0.12) ? random.uniform(0...strength) : 0)
        c.blurSigma = random.uniform(0...ranges.maxBlur)
        c.noiseSigma = random.uniform(0...ranges.maxNoise)
        c.resolution = ranges.resolutions[random.index(below: ranges.resolutions.count)]
        c.occlusion = random.chance(ranges.occlusionProbability) ? randomOcclusion(using: &random) : .none
        let gray = random.uniform(0.15...0.9)
        let tint = SIMD3(random.normal(mean: 0, deviation: 0.08), random.normal(mean: 0, deviation: 0.08),
                         random.normal(mean: 0, deviation: 0.08))
        c.backgroundTop = clampedToUnit(SIMD3(repeating: gray) + tint)
        c.backgroundBottom = clampedToUnit(c.backgroundTop * random.uniform(0.65...1.1))
        c.noiseSeed = random.next()
        return c
    }

    private static func randomOcclusion(using random: inout SeededRandom) -> SyntheticOcclusion {
        let color = SIMD3(random.uniform(0.05...0.95), random.uniform(0.05...0.95), random.uniform(0.05...0.95))
        switch random.pick(weights: [0.3, 0.25, 0.25, 0.2]) {
        case 0:
            return .bar(x: random.uniform(30...82), y: random.uniform(30...92), length: random.uniform(50...130),
                        thickness: random.uniform(7...18), angle: random.uniform(-90...90), color: color)
        case 1:
            let width = random.uniform(20...48), height = random.uniform(20...48)
            return .patch(x: random.uniform(20...92) - width / 2, y: random.uniform(25...95) - height / 2,
                          width: width, height: height, color: color)
        case 2:
            return .sunglasses
        default:
            let palette: [SIMD3<Double>] = [SIMD3(0.62, 0.78, 0.9), SIMD3(0.92, 0.92, 0.93), SIMD3(0.08, 0.08, 0.09),
                                            color]
            return .mask(color: palette[random.pick(weights: [0.35, 0.3, 0.2, 0.15])])
        }
    }
}

private func clampedToUnit(_ v: SIMD3<Double>) -> SIMD3<Double> {
    v.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
}
