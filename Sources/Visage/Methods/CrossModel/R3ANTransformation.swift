import Torch

/// The transformation R³AN learns: source feature → generated face → target feature, `E(G(X))` (the regression
/// path of Fig. 3). The discriminator is only needed for training and is not part of it.
public final class R3ANTransformation: Module {
    public let generator: R3ANGenerator
    public let extractor: R3ANExtractor

    /// A freshly initialized generator and extractor for the given dimensions.
    public init(sourceDimension: Int, targetDimension: Int) {
        generator = R3ANGenerator(sourceDimension: sourceDimension)
        extractor = R3ANExtractor(targetDimension: targetDimension)
        super.init()
    }

    /// Dimension of the source features.
    public var sourceDimension: Int { generator.sourceDimension }
    /// Dimension of the produced features.
    public var targetDimension: Int { extractor.targetDimension }

    /// `[N, sourceDimension]` → `[N, targetDimension]`.
    public override func forward(_ features: Tensor) -> Tensor {
        extractor(generator(features))
    }
}
