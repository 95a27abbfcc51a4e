import Foundation

/// Everything a face recognition run is and learns from, beyond the optimizer settings of a ``TrainingConfig``:
/// backbone, embedding and input size, margin loss with its scale and margin, augmentation, and the optional
/// hard view with the Distribution Distillation Loss and its weights.
///
/// Read from the `"recipe"` object of `visage train --config` (see ``RecognitionRunConfiguration``; its keys in
/// `FaceRecognitionRecipe+JSON.swift`), overridden by flags, stored as `recipe.json` in the run's folder, and
/// compared setting by setting when the run is resumed.
public struct FaceRecognitionRecipe: Sendable, Equatable {
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
    /// Partial FC's sample rate: the head's class centers split across the ranks (``PartialFC``), each rank
    /// using this fraction of its centers per step (1: all); nil for one ``MarginSoftmax`` on every rank.
    public var partialFCSampleRate: Double?

    /// A recipe; the embedding and input size default to the architecture's
    /// (``BackboneArchitecture/defaultEmbeddingSize``, ``BackboneArchitecture/nativeInputSize``).
    public init(architecture: BackboneArchitecture = .mobileFaceNet, embeddingSize: Int? = nil, inputSize: Int? = nil,
                margin: MarginKind = .arcFace(), augmentation: Augmentation = .standard,
                hardView: Degradation? = nil, distillation: DistributionDistillationLoss? = nil,
                identityGroupSize: Int? = nil, partialFCSampleRate: Double? = nil) {
        self.architecture = architecture
        self.embeddingSize = embeddingSize ?? architecture.defaultEmbeddingSize
        self.inputSize = inputSize ?? architecture.nativeInputSize
        self.margin = margin
        self.augmentation = augmentation
        self.hardView = hardView
        self.distillation = distillation
        self.identityGroupSize = identityGroupSize
        self.partialFCSampleRate = partialFCSampleRate
    }

    /// Throws when the settings cannot work together.
    public func validate() throws {
        guard (1...65_536).contains(embeddingSize) else {
            throw DataError.invalidArgument("embedding size must be 1…65,536, got \(embeddingSize)")
        }
        try architecture.checkInputSize(inputSize)
        if let identityGroupSize, identityGroupSize < 1 {
            throw DataError.invalidArgument("identity group size must be positive, got \(identityGroupSize)")
        }
        if distillation != nil && hardView == nil {
            throw DataError.invalidArgument("the Distribution Distillation Loss needs a hard view: give a degradation")
        }
        if let partialFCSampleRate {
            guard partialFCSampleRate > 0, partialFCSampleRate <= 1 else {
                throw DataError.invalidArgument("Partial FC's sample rate must be in (0, 1], got \(partialFCSampleRate)")
            }
            switch margin {
            case .arcFace, .cosFace: break
            default: throw DataError.invalidArgument("Partial FC trains ArcFace or CosFace, not \(margin.summary)")
            }
        }
    }

    /// The model and loss in one line, as a run reports them: `bridge-student 128-D at 16², arcface (s = 32,
    /// m = 0.3) + DDL (weights 0.1 / 0.02 / 0.5)`.
    public var summary: String {
        var text = "\(architecture) \(embeddingSize)-D at \(inputSize)², \(margin.summary)"
        if let partialFCSampleRate {
            text += " with Partial FC (sample rate \(String(format: "%g", partialFCSampleRate)))"
        }
        if let hardView {
            text += ", hard view at \(hardView.resolutions.map(String.init).joined(separator: "/")) px"
        }
        if let distillation {
            text += " + DDL (weights: positive \(String(format: "%g", distillation.positiveWeight)), negative "
                + "\(String(format: "%g", distillation.negativeWeight)), order \(String(format: "%g", distillation.orderWeight)))"
        }
        return text
    }
}
