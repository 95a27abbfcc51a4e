/// How far random nuisance may stray from the frontal photo; `SyntheticConditions.random(using:in:)` draws
/// each quantity uniformly within its range.
public struct SyntheticConditionRanges: Sendable, Equatable, Codable {
    /// Yaw is drawn from ±this many degrees.
    public var maxYaw: Double
    /// Pitch is drawn from ±this many degrees.
    public var maxPitch: Double
    /// Roll is drawn from ±this many degrees.
    public var maxRoll: Double
    /// The light azimuth is drawn from ±this many degrees (its elevation follows).
    public var maxLightAngle: Double
    /// Directional light strengths drawn from.
    public var lightStrength: ClosedRange<Double>
    /// Ambient light strengths drawn from.
    public var ambient: ClosedRange<Double>
    /// The largest expression strength, 0...1.
    public var expression: Double
    /// Blur sigma (pixels) is drawn from 0...this.
    public var maxBlur: Double
    /// Noise sigma (8-bit levels) is drawn from 0...this.
    public var maxNoise: Double
    /// Capture resolutions, one drawn uniformly per photo (112 = full resolution).
    public var resolutions: [Int]
    /// Probability that a photo has an occlusion (bar, patch, sunglasses or mask).
    public var occlusionProbability: Double

    /// Ranges with the given values; the defaults are `standard`.
    public init(maxYaw: Double = 25, maxPitch: Double = 12, maxRoll: Double = 6, maxLightAngle: Double = 50,
                lightStrength: ClosedRange<Double> = 0.45...0.95, ambient: ClosedRange<Double> = 0.25...0.5,
                expression: Double = 0.6, maxBlur: Double = 0.6, maxNoise: Double = 3, resolutions: [Int] = [112],
                occlusionProbability: Double = 0.05) {
        self.maxYaw = maxYaw
        self.maxPitch = maxPitch
        self.maxRoll = maxRoll
        self.maxLightAngle = maxLightAngle
        self.lightStrength = lightStrength
        self.ambient = ambient
        self.expression = expression
        self.maxBlur = maxBlur
        self.maxNoise = maxNoise
        self.resolutions = resolutions
        self.occlusionProbability = occlusionProbability
    }

    /// Only the background and noise seed vary: pose, light, expression and camera stay frontal and clean.
    public static let none = SyntheticConditionRanges(
        maxYaw: 0, maxPitch: 0, maxRoll: 0, maxLightAngle: 0, lightStrength: 0.7...0.7, ambient: 0.4...0.4,
        expression: 0, maxBlur: 0, maxNoise: 0, resolutions: [112], occlusionProbability: 0)

    /// Moderate variation, like a cooperative photo collection (the default dataset).
    public static let standard = SyntheticConditionRanges()

    /// Strong variation, like surveillance or in-the-wild photos.
    public static let hard = SyntheticConditionRanges(
        maxYaw: 55, maxPitch: 25, maxRoll: 15, maxLightAngle: 85, lightStrength: 0.2...1.3, ambient: 0.08...0.5,
        expression: 1, maxBlur: 2, maxNoise: 10, resolutions: [112, 56, 32, 20], occlusionProbability: 0.3)

    /// Throws `SyntheticFaceError.invalidArgument` naming the first range the renderer cannot honour.
    public func validate() throws {
        for (name, value, limit) in [("maxYaw", maxYaw, 90.0), ("maxPitch", maxPitch, 60.0), ("maxRoll", maxRoll, 180.0),
                                     ("maxLightAngle", maxLightAngle, 90.0)] {
            try SyntheticFaceError.require(value >= 0 && value <= limit, name, value,
                                           "must be between 0 and \(Int(limit)) degrees")
        }
        for (name, range) in [("lightStrength", lightStrength), ("ambient", ambient)] {
            try SyntheticFaceError.require(range.lowerBound >= 0 && range.upperBound <= 10, name,
                                           "\(range.lowerBound)...\(range.upperBound)", "must lie within 0...10")
        }
        try SyntheticFaceError.require((0...1).contains(expression), "expression", expression, "must be within 0...1")
        try SyntheticFaceError.require(maxBlur >= 0 && maxBlur <= 20, "maxBlur", maxBlur, "must be within 0...20 pixels")
        try SyntheticFaceError.require(maxNoise >= 0 && maxNoise <= 255, "maxNoise", maxNoise, "must be within 0...255 levels")
        try SyntheticFaceError.require(!resolutions.isEmpty, "resolutions", "[]", "must list at least one resolution")
        for resolution in resolutions {
            try SyntheticFaceError.require((4...SyntheticFaceRenderer.size).contains(resolution), "resolution", resolution,
                                           "must be between 4 and \(SyntheticFaceRenderer.size) pixels")
        }
        try SyntheticFaceError.require((0...1).contains(occlusionProbability), "occlusionProbability",
                                       occlusionProbability, "must be a probability within 0...1")
    }
}
