import Foundation
import Torch

extension MarginKind {
    /// The margin-penalized target cosine `T(cos θ_y)` for target cosines in [−1, 1], before scaling; the
    /// cosine itself for ``softmax``.
    ///
    /// CosFace: `cos θ − m`. ArcFace and CurricularFace: `cos(θ + m) = cos θ · cos m − sin θ · sin m`, computed
    /// without `acos`, with insightface's fallback: where `θ + m > π` (that is `cos θ < cos(π − m)`), where
    /// `cos(θ + m)` would stop decreasing in θ, the target becomes `cos θ − m · sin m` instead
    /// (insightface's `th` and `mm`), which keeps the target monotonic. `sin θ = √(1 − cos² θ)` takes its
    /// square root of at least 1e-12, so a cosine of exactly ±1 (an embedding equal to its class weight) has a
    /// finite gradient.
    public func targetCosine(_ cosine: Tensor) -> Tensor {
        switch self {
        case .softmax:
            return cosine
        case .cosFace(_, let margin):
            return cosine - margin
        case .arcFace(_, let margin), .curricularFace(_, let margin):
            let sine = (1 - cosine.square()).clamp(min: 1e-12).sqrt()
            let shifted = cosine * Foundation.cos(margin) - sine * Foundation.sin(margin)
            let threshold = Foundation.cos(Double.pi - margin)
            let fallback = cosine - Foundation.sin(Double.pi - margin) * margin
            return shifted.where(cosine .> threshold, fallback)
        }
    }
}
