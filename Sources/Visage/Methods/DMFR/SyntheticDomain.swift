import Foundation

/// DMFR's generative domains: the two ways Visage makes synthetic samples of a real aligned face.
public enum SyntheticDomain: String, Sendable, CaseIterable, Codable {
    /// Re-posed by a random yaw (``FaceReposing``).
    case pose
    /// Degraded to a low resolution with blur, noise and JPEG (``Degradation``), upsampled back.
    case quality
}

/// Draws synthetic samples of aligned faces in each ``SyntheticDomain``, or their zero-change copies (Δc = 0:
/// the same pose and quality through the same path), which DMFR's filter learns from.
public struct SyntheticSampler: Sendable, Equatable {
    /// Range of the absolute yaw of a re-posed copy, in degrees; the sign is drawn at random.
    public var yaw: ClosedRange<Double>
    /// The degradation of a quality copy.
    public var degradation: Degradation

    /// Yaw 20–40° either way; degradation to 16–24 px with blur σ ≤ 1, noise σ ≤ 4 and JPEG quality 40–90, the
    /// range the cross-quality protocol tests.
    public init(yaw: ClosedRange<Double> = 20...40, degradation: Degradation? = nil) throws {
        guard yaw.lowerBound >= 0, yaw.upperBound <= 60 else {
            throw DataError.invalidArgument("the re-posing yaw range must lie in 0…60 degrees, got \(yaw)")
        }
        self.yaw = yaw
        self.degradation = try degradation ?? Degradation(
            resolutions: [16, 20, 24], blurSigma: 0...1, noiseSigma: 0...4, jpegQuality: 40...90)
    }

    /// A synthetic copy of `image` (whose five landmarks, in its pixels, are `landmarks`) in `domain`; with
    /// `zeroChange` the generator runs with Δc = 0.
    public func sample(_ domain: SyntheticDomain, of image: Image, landmarks: FaceLandmarks, zeroChange: Bool = false,
                       using generator: inout SeededRandom) throws -> Image {
        switch domain {
        case .pose:
            let magnitude = zeroChange ? 0 : generator.uniform(yaw)
            let sign: Double = generator.chance(0.5) ? 1 : -1
            return try FaceReposing(yawDegrees: sign * magnitude).apply(to: image, landmarks: landmarks)
        case .quality:
            let settings = zeroChange ? try Self.unchanged(like: degradation, side: image.width) : degradation
            return try settings.apply(to: image, using: &generator)
        }
    }

    /// `degradation` with every change at its identity: the original resolution, no blur, noise or JPEG.
    private static func unchanged(like degradation: Degradation, side: Int) throws -> Degradation {
        try Degradation(resolutions: [side], filter: degradation.filter, upsampleBack: degradation.upsampleBack)
    }
}
