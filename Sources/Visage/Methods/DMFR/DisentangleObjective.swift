import Torch

/// DMFR's disentangling mode on the trunk feature M: an entangled embedding `f_ent = E(M)` from which a decoder
/// must reconstruct M, a non-identity part `f_non-id = N(M)`, and the identity embedding `f_id = f_ent − f_non-id`
/// classified on real rows and synthetic copies (drawn per row as in naive mixing):
/// `L = L_cls(f_id) + λ_disen · mean ‖D(f_ent) − M‖₂`, the paper's λ_disen = 1. The paper reconstructs an
/// intermediate feature map; here M is the 512-D trunk feature, the deepest map the frozen trunk leaves.
public final class DisentangleObjective: DMFRObjective {
    public let data: DMFRTrainingData
    /// E, started at the pretrained last layer.
    public let entangled: Linear
    /// N, started at zero, so that f_id starts as the pretrained embedding.
    public let nonIdentity: Linear
    /// D: f_ent → M.
    public let decoder: Linear
    public let head: MarginSoftmax
    /// λ_disen.
    public let reconstructionWeight: Double
    public let seed: UInt64

    public init(data: DMFRTrainingData, initial: (weight: Tensor, bias: Tensor), kind: MarginKind,
                reconstructionWeight: Double = 1, seed: UInt64) throws {
        self.data = data
        entangled = pretrainedEmbeddingLayer(initial)
        let (size, trunk) = (initial.weight.size(0), initial.weight.size(1))
        nonIdentity = pretrainedEmbeddingLayer((Tensor.zeros([size, trunk]), Tensor.zeros([size])))
        decoder = Linear(size, trunk)
        head = try imprintedClassifier(data, embedding: entangled.callAsFunction, kind: kind)
        self.reconstructionWeight = reconstructionWeight
        self.seed = seed
    }

    public var modules: [String: Module] {
        ["entangled": entangled, "non-identity": nonIdentity, "decoder": decoder, "head": head]
    }
    public var trajectorySettings: [String: String] {
        ["dmfr_mode": "disentangle", "reconstruction_weight": "\(reconstructionWeight)"]
    }

    /// The parts of trunk features `[N, 512]`: f_ent, f_non-id and f_id `[N, embeddingSize]`, and the
    /// reconstruction `[N, 512]` of the input from f_ent.
    public func parts(_ trunk: Tensor) -> (entangled: Tensor, nonIdentity: Tensor, identity: Tensor, reconstruction: Tensor) {
        let full = entangled(trunk), other = nonIdentity(trunk)
        return (full, other, full - other, decoder(full))
    }

    /// The reconstruction loss: the mean over rows of the Euclidean distance between reconstruction and input.
    public static func reconstructionLoss(_ reconstruction: Tensor, _ trunk: Tensor) -> Tensor {
        ((reconstruction - trunk) * (reconstruction - trunk)).sum(1).clamp(min: 1e-12).sqrt().mean()
    }

    public func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        let rows = Tensor(batch.indices.map(Int64.init))
        let trunk = Tensor.cat([data.real.indexSelect(0, rows), data.mixedSynthetic(rows: rows, seed: seed, step: step).copies])
        let split = parts(trunk)
        let classification = head.loss(split.identity, labels: Tensor.cat([batch.labels, batch.labels]))
        let reconstruction = Self.reconstructionLoss(split.reconstruction, trunk)
        return ["loss": classification + reconstruction * reconstructionWeight, "cls": classification,
                "reconstruction": reconstruction]
    }

    public func embedding(_ trunk: Tensor) -> Tensor { parts(trunk).identity }
    public func embeddingMap() -> (weight: Tensor, bias: Tensor) {
        withoutGrad { (entangled.weight - nonIdentity.weight, entangled.bias! - nonIdentity.bias!) }
    }
}
