import Foundation

/// Which classification loss a ``MarginSoftmax`` head trains with: plain softmax or one of the additive margins
/// on the normalized target cosine.
///
/// The margin kinds compute `s · cos θ_j` for every class `j` after L2-normalizing embeddings and class weights,
/// and replace the target class's cosine `cos θ_y` by a margin-penalized value (see ``targetCosine(_:)``).
public enum MarginKind: Sendable, Hashable, Codable {
    /// Plain softmax cross-entropy over an affine classifier `x · Wᵀ + b`, without normalization or scale.
    case softmax
    /// CosFace / large-margin cosine loss (Wang et al. 2018): target `cos θ_y − m`.
    case cosFace(scale: Double = 64, margin: Double = 0.4)
    /// ArcFace / additive angular margin (Deng et al. 2019): target `cos(θ_y + m)`.
    case arcFace(scale: Double = 64, margin: Double = 0.5)
    /// CurricularFace (Huang et al. 2020): ArcFace's target, and hard negatives `cos θ_j > T(cos θ_y)` become
    /// `cos θ_j · (t + cos θ_j)`, where `t` is a running mean of the target cosine.
    case curricularFace(scale: Double = 64, margin: Double = 0.5)

    /// The kinds by name, as `visage train --loss` and the recipe's `"loss"` key give them.
    public enum Name: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        case softmax, cosface, arcface, curricularface

        public var description: String { rawValue }
    }

    /// The kind called `name` with scale `s` and margin `m`; nil takes the kind's default (CosFace 64 / 0.4,
    /// ArcFace and CurricularFace 64 / 0.5).
    ///
    /// - Throws: ``TrainingConfigError`` naming `scale` or `margin` for a scale that is not finite and positive, a
    ///   margin that is not finite and non-negative (ArcFace's and CurricularFace's below π/2), or either given
    ///   for softmax, which has neither.
    public init(_ name: Name, scale: Double? = nil, margin: Double? = nil) throws(TrainingConfigError) {
        if let scale {
            guard name != .softmax else { throw TrainingConfigError(key: "scale", "softmax has no scale; leave it out") }
            guard scale.isFinite, scale > 0 else {
                throw TrainingConfigError(key: "scale", "\(scale) is invalid: must be finite and > 0")
            }
        }
        if let margin {
            guard name != .softmax else { throw TrainingConfigError(key: "margin", "softmax has no margin; leave it out") }
            let limit = name == .cosface ? Double.infinity : Double.pi / 2
            guard margin.isFinite, margin >= 0, margin < limit else {
                throw TrainingConfigError(key: "margin", "\(margin) is invalid: must be >= 0"
                    + (name == .cosface ? " and finite" : " and below π/2 (an angle in radians)"))
            }
        }
        switch name {
        case .softmax: self = .softmax
        case .cosface: self = .cosFace(scale: scale ?? 64, margin: margin ?? 0.4)
        case .arcface: self = .arcFace(scale: scale ?? 64, margin: margin ?? 0.5)
        case .curricularface: self = .curricularFace(scale: scale ?? 64, margin: margin ?? 0.5)
        }
    }

    /// The kind's name.
    public var name: Name {
        switch self {
        case .softmax: .softmax
        case .cosFace: .cosface
        case .arcFace: .arcface
        case .curricularFace: .curricularface
        }
    }

    /// The kind with its settings, as a report shows it: `arcface (s = 64, m = 0.5)` or `softmax`.
    public var summary: String {
        guard let scale, let margin else { return name.rawValue }
        return "\(name) (s = \(String(format: "%g", scale)), m = \(String(format: "%g", margin)))"
    }

    /// The factor `s` multiplying the cosines, or nil for ``softmax``, whose logits are not cosines.
    public var scale: Double? {
        switch self {
        case .softmax: nil
        case .cosFace(let scale, _), .arcFace(let scale, _), .curricularFace(let scale, _): scale
        }
    }

    /// The margin `m` (additive on the cosine for CosFace, on the angle for ArcFace and CurricularFace), or nil
    /// for ``softmax``.
    public var margin: Double? {
        switch self {
        case .softmax: nil
        case .cosFace(_, let margin), .arcFace(_, let margin), .curricularFace(_, let margin): margin
        }
    }
}
