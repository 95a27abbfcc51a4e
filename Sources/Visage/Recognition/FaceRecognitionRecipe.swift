import Foundation

/// What a face recognition model is and what it learns from, beyond the optimizer settings of a
/// ``TrainingConfig``: backbone, embedding size, margin loss, augmentation, and the optional hard view with the
/// Distribution Distillation Loss.
///
/// Stored as `recipe.json` in the run's folder, so a resumed run is checked against what started it.
public struct FaceRecognitionRecipe: Codable, Sendable, Equatable {
    public var architecture: BackboneArchitecture
    public var embeddingSize: Int
    /// Side of the square input the model sees; aligned faces of another size are resized to it.
    public var inputSize: Int
    public var margin: MarginKind
    /// Augmentation of every training face (the easy view).
    public var augmentation: Augmentation
    /// Degradation that makes a hard view of every face (low resolution, strong lighting, misalignment); the
    /// head classifies both views when it is set.
    public var hardView: Degradation?
    /// The Distribution Distillation Loss from the easy to the hard view; needs ``hardView``.
    public var distillation: DistributionDistillationLoss?
    /// Batches keep up to this many images of one identity together (``BatchLoader/identityGroupSize``), so
    /// the Distribution Distillation Loss sees same-identity pairs; nil samples images freely.
    public var identityGroupSize: Int?
    /// Identifier of the model whose backbone weights the run starts from (fine-tuning, `visage train --initial-model`);
    /// nil starts from a fresh initialization. Set by ``FaceRecognitionTraining`` from the model it is given.
    public var initialModel: String?

    public init(architecture: BackboneArchitecture = .mobileFaceNet, embeddingSize: Int = 512, inputSize: Int = 112,
                margin: MarginKind = .arcFace(), augmentation: Augmentation = .standard,
                hardView: Degradation? = nil, distillation: DistributionDistillationLoss? = nil,
                identityGroupSize: Int? = nil) {
        self.architecture = architecture
        self.embeddingSize = embeddingSize
        self.inputSize = inputSize
        self.margin = margin
        self.augmentation = augmentation
        self.hardView = hardView
        self.distillation = distillation
        self.identityGroupSize = identityGroupSize
    }

    /// Throws when the settings cannot work together.
    public func validate() throws {
        guard (1...65_536).contains(embeddingSize) else {
            throw DataError.invalidArgument("embedding size must be 1…65,536, got \(embeddingSize)")
        }
        guard inputSize >= 16 else { throw DataError.invalidArgument("input size must be at least 16, got \(inputSize)") }
        switch architecture {
        case .mobileFaceNet, .iresnet, .mobileFaceNetMS1M:
            guard inputSize == 112 else {
                throw DataError.invalidArgument("\(architecture) flattens a 7×7 map and needs 112×112 input, got \(inputSize)")
            }
        case .mobileNetV2, .bridgeStudent:
            break
        }
        if let identityGroupSize, identityGroupSize < 1 {
            throw DataError.invalidArgument("identity group size must be positive, got \(identityGroupSize)")
        }
        if distillation != nil && hardView == nil {
            throw DataError.invalidArgument("the Distribution Distillation Loss needs a hard view: give a degradation")
        }
    }
}
