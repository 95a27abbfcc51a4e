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

    /// The kind named `name` (case-insensitive: "softmax", "cosface", "arcface", "curricularface"), with the
    /// default scale and margin.
    ///
    /// - Throws: ``UnknownName`` for any other name.
    public init(parsing name: String) throws(UnknownName) {
        switch name.lowercased() {
        case "softmax": self = .softmax
        case "cosface": self = .cosFace()
        case "arcface": self = .arcFace()
        case "curricularface": self = .curricularFace()
        default: throw UnknownName(name: name)
        }
    }

    /// A margin-kind name that ``init(parsing:)`` does not know.
    public struct UnknownName: Error, CustomStringConvertible, Equatable, Sendable {
        /// The name as given.
        public var name: String

        /// Names the unknown kind and lists the known ones.
        public var description: String {
            "unknown margin kind \"\(name)\"; expected one of: softmax, cosface, arcface, curricularface"
        }
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
