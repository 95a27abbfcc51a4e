import Torch

/// The bijection H of Vec2Face-v2's bijective metric (§IV-F): a RealNVP-style normalizing flow on student
/// features, a stack of ``AffineCoupling`` layers that alternately keep the first and the second half, so every
/// component is changed by some layer.
///
/// The paper's H is a multi-scale flow on images; Visage's runs on the student's feature vectors (the issue's
/// "small normalizing flow on student features"), which makes the likelihood and the distance cheap.
public final class FeatureFlow: Module {
    /// The feature length.
    public let dimension: Int
    public let layers: [AffineCoupling]

    /// A flow over `dimension`-vectors with `couplings` layers of `hiddenWidth` hidden units each.
    public init(dimension: Int, couplings: Int = 4, hiddenWidth: Int = 128) {
        precondition(couplings >= 1, "a flow needs at least one coupling layer")
        self.dimension = dimension
        layers = (0..<couplings).map {
            AffineCoupling(dimension: dimension, hiddenWidth: hiddenWidth, keepsFirstHalf: $0 % 2 == 0)
        }
        super.init()
    }

    /// `[N, dimension]` features → latents z `[N, dimension]` and each row's log|det ∂z/∂x| `[N]`.
    public func transform(_ x: Tensor) -> (latent: Tensor, logDeterminant: Tensor) {
        var z = x
        var logDeterminant: Tensor?
        for layer in layers {
            let step = layer.transform(z)
            z = step.output
            logDeterminant = logDeterminant.map { $0 + step.logDeterminant } ?? step.logDeterminant
        }
        return (z, logDeterminant!)
    }

    /// The latents, without the log-determinant.
    public override func forward(_ x: Tensor) -> Tensor { transform(x).latent }
}
