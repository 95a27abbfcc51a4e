/// One photo condition moved beyond the ranges a model was trained on, everything else about the photo kept
/// (person, light, expression, background, noise): the second photo of a condition-shift verification pair
/// (see ``SyntheticConditionShiftValidation``).
public enum SyntheticConditionShift: Sendable, Equatable, Hashable {
    /// The head turned further: the yaw's magnitude is redrawn from this range of degrees, its side kept.
    case yaw(ClosedRange<Double>)
    /// A lower capture resolution: one of these sides (pixels) is drawn; the face is rendered at 112, reduced to
    /// it and scaled back up, as ``SyntheticConditions/resolution`` does.
    case resolution([Int])

    /// Yaw 45–60° either way, well beyond the ±25° of ``SyntheticConditionRanges/standard``.
    public static let largePose = SyntheticConditionShift.yaw(45...60)
    /// 16, 20 or 24 pixels, against the full 112 of ``SyntheticConditionRanges/standard``.
    public static let lowResolution = SyntheticConditionShift.resolution([16, 20, 24])

    /// A short plain-ASCII label for reports and plot legends, e.g. `pose-shifted (yaw 45-60 deg)`.
    public var label: String {
        switch self {
        case .yaw(let range):
            "pose-shifted (yaw \(Self.format(range.lowerBound))-\(Self.format(range.upperBound)) deg)"
        case .resolution(let sides):
            "resolution-shifted (\(sides.map(String.init).joined(separator: "/")) px)"
        }
    }

    /// Throws `SyntheticFaceError.invalidArgument` when the renderer cannot honour the shifted condition.
    public func validate() throws {
        switch self {
        case .yaw(let range):
            try SyntheticFaceError.require(range.lowerBound >= 0 && range.upperBound <= 90, "shifted yaw",
                                           "\(range.lowerBound)...\(range.upperBound)",
                                           "must be a range of magnitudes within 0...90 degrees")
        case .resolution(let sides):
            try SyntheticFaceError.require(!sides.isEmpty, "shifted resolutions", "[]", "must list at least one resolution")
            for side in sides {
                try SyntheticFaceError.require((4...SyntheticFaceRenderer.size).contains(side), "shifted resolution", side,
                                               "must be between 4 and \(SyntheticFaceRenderer.size) pixels")
            }
        }
    }

    /// `conditions` with the shifted quantity redrawn from `random`; every other quantity is kept.
    public func applied(to conditions: SyntheticConditions, using random: inout SeededRandom) -> SyntheticConditions {
        var shifted = conditions
        switch self {
        case .yaw(let range):
            shifted.yaw = (conditions.yaw < 0 ? -1 : 1) * random.uniform(range)
        case .resolution(let sides):
            shifted.resolution = sides[random.index(below: sides.count)]
        }
        return shifted
    }

    private static func format(_ degrees: Double) -> String {
        degrees == degrees.rounded() ? String(Int(degrees)) : String(degrees)
    }
}
