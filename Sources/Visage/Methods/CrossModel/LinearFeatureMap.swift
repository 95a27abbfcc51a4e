import Foundation
import Torch

/// The closed-form baseline every gallery owner should try first: the least-squares linear map from source to
/// target features, ridge-regularized and centred, solved exactly instead of trained.
///
/// Both sides are L2-normalized first (as ``FeatureMLP`` reads its input and the trained transformers regress
/// their targets). With `X`, `Y` the normalized training rows and `μx`, `μy` their means, the map is
///
///     W = ((X − μx)ᵀ(X − μx) + λ·I)⁻¹ (X − μx)ᵀ(Y − μy),   f(x) = (x̂ − μx)·W + μy
///
/// computed in float64 and stored as one `Linear` layer (`map.weight` = Wᵀ, `map.bias` = μy − μx·W), as
/// `scripts/experiments/crossmodel-linear-probe.py` computes it.
public final class LinearFeatureMap: Module {
    /// Dimension of the source features it reads.
    public let sourceDimension: Int
    /// Dimension of the features it produces.
    public let targetDimension: Int
    /// `f(x) = x̂·Wᵀ + b` on the normalized input.
    public let map: Linear

    /// A map of the given dimensions with `Linear`'s initial weights, to be filled by ``fit(source:target:ridge:)``
    /// or a saved state.
    public init(sourceDimension: Int, targetDimension: Int) {
        precondition(sourceDimension > 0 && targetDimension > 0, "LinearFeatureMap: dimensions must be positive")
        self.sourceDimension = sourceDimension
        self.targetDimension = targetDimension
        map = Linear(sourceDimension, targetDimension)
        super.init()
    }

    /// `[N, sourceDimension]` → `[N, targetDimension]`.
    public override func forward(_ features: Tensor) -> Tensor {
        map(Functional.normalize(features, dim: 1))
    }

    /// The ridge-regularized least-squares map from the rows of `source` to the same rows of `target`.
    /// - Parameter ridge: λ, which must be positive (it keeps the system solvable with fewer rows than
    ///   dimensions); the linear-probe script's weight is 1.
    /// - Throws: ``CrossModelError/invalidConfiguration(_:)`` for a bad λ, mismatched or empty rows;
    ///   ``CrossModelError/diverged(_:)`` when the solution is not finite (NaN features).
    public static func fit(source: FeatureMatrix, target: FeatureMatrix, ridge: Double = 1) throws -> LinearFeatureMap {
        guard ridge > 0, ridge.isFinite else {
            throw CrossModelError.invalidConfiguration("the ridge weight must be finite and positive, got \(ridge)")
        }
        guard source.rows == target.rows, source.rows > 0, source.columns > 0, target.columns > 0 else {
            throw CrossModelError.invalidConfiguration(
                "the linear map needs the same rows on both sides, and some: got \(source.rows)×\(source.columns) "
                    + "source and \(target.rows)×\(target.columns) target features")
        }
        let (weight, bias) = try withTorchErrors { () throws -> (Tensor, Tensor) in
            try withoutGrad {
                let x = Functional.normalize(try Tensor(source.values, shape: [source.rows, source.columns]).to(.float64))
                let y = Functional.normalize(try Tensor(target.values, shape: [target.rows, target.columns]).to(.float64))
                let meanX = x.mean(0), meanY = y.mean(0)
                let centredX = x - meanX, centredY = y - meanY
                let gram = centredX.transposed().matmul(centredX)
                    + Tensor.eye(source.columns, dtype: .float64) * ridge
                let w = gram.inverse().matmul(centredX.transposed().matmul(centredY))
                return (w.transposed().contiguous(), meanY - meanX.matmul(w))
            }
        }
        let values = weight.array(of: Double.self) + bias.array(of: Double.self)
        guard values.allSatisfy(\.isFinite) else {
            throw CrossModelError.diverged("the least-squares map is not finite: the features hold NaN or infinite values")
        }
        let result = LinearFeatureMap(sourceDimension: source.columns, targetDimension: target.columns)
        try result.loadStateDict(["map.weight": weight.to(.float32), "map.bias": bias.to(.float32)])
        result.eval()
        return result
    }
}

extension FeatureTransformer {
    /// The ``LinearFeatureMap`` fitted on `pairs` with ridge weight `ridge`, stamped with their models.
    /// - Throws: as ``LinearFeatureMap/fit(source:target:ridge:)``, and when both sides belong to one model.
    public static func linear(fittedOn pairs: CrossModelPairs, ridge: Double = 1) throws -> FeatureTransformer {
        try pairs.checkTrainable(by: "linear map", sourceDimension: pairs.sourceDimension,
                                 targetDimension: pairs.targetDimension, batchSize: 1)
        return FeatureTransformer(
            network: .linear(try LinearFeatureMap.fit(source: pairs.source, target: pairs.target, ridge: ridge)),
            sourceModel: pairs.sourceModel, targetModel: pairs.targetModel)
    }
}
