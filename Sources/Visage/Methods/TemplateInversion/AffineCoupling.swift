import Torch

/// One RealNVP affine coupling layer (Dinh et al., "Density estimation using Real NVP"): the vector is split
/// into a kept half and a changed half; the changed half is scaled and shifted by functions of the kept half,
///
///     y_kept = x_kept,   y_changed = x_changed ⊙ exp(s(x_kept)) + t(x_kept),
///
/// so the Jacobian is triangular and log|det J| = Σ s(x_kept). `s` is bounded by `tanh` so that a freshly
/// initialized flow is close to the identity and training cannot blow the scale up in one step.
public final class AffineCoupling: Module {
    /// The vector's length.
    public let dimension: Int
    /// Whether the first half (`true`) or the second half is kept.
    public let keepsFirstHalf: Bool
    public let hidden: Linear
    /// `[2·changed, hidden]`: the scale's and the shift's pre-activations.
    public let output: Linear

    /// A coupling layer over `dimension`-vectors (at least 2) with a `hiddenWidth`-wide hidden layer.
    public init(dimension: Int, hiddenWidth: Int, keepsFirstHalf: Bool) {
        precondition(dimension >= 2, "a coupling layer needs at least two components")
        self.dimension = dimension
        self.keepsFirstHalf = keepsFirstHalf
        let kept = keepsFirstHalf ? dimension / 2 : dimension - dimension / 2
        let changed = dimension - kept
        hidden = Linear(kept, hiddenWidth)
        output = Linear(hiddenWidth, 2 * changed)
        super.init()
        // Start at the identity map: zero scale and shift.
        withoutGrad {
            _ = output.weight.zero_()
            _ = output.bias?.zero_()
        }
    }

    private var firstLength: Int { dimension / 2 }

    /// `[N, dimension]` → the transformed `[N, dimension]` and each row's log|det ∂y/∂x| `[N]`.
    public func transform(_ x: Tensor) -> (output: Tensor, logDeterminant: Tensor) {
        let first = x.narrow(1, start: 0, length: firstLength)
        let second = x.narrow(1, start: firstLength, length: dimension - firstLength)
        let kept = keepsFirstHalf ? first : second
        let changed = keepsFirstHalf ? second : first
        let parameters = output(Functional.relu(hidden(kept)))
        let halves = parameters.chunked(2, dim: 1)
        let scale = halves[0].tanh()
        let moved = changed * scale.exp() + halves[1]
        let y = keepsFirstHalf ? Tensor.cat([kept, moved], dim: 1) : Tensor.cat([moved, kept], dim: 1)
        return (y, scale.sum(1))
    }

    /// The transformed vectors, without the log-determinant.
    public override func forward(_ x: Tensor) -> Tensor { transform(x).output }
}
