import Torch

/// The Distribution Distillation Loss (Huang et al., ECCV 2020): pulls the similarity distributions of a hard
/// stream (degraded, large-pose faces: the student) toward those of an easy stream (clean faces: the teacher)
/// and orders positives above negatives.
///
/// From each stream's L2-normalized embeddings it takes the cosine similarity of every same-identity pair
/// (positives) and, for each sample, of its most similar other-identity sample in the stream (the hardest
/// negative). Soft Gaussian-kernel histograms over [−1, 1] of these give the teacher distributions P⁺, P⁻
/// (easy) and the student distributions Q⁺, Q⁻ (hard), and
///
///     total = positiveWeight · KL(P⁺‖Q⁺) + negativeWeight · KL(P⁻‖Q⁻) + orderWeight · order,
///     order = Σ over (S⁺, S⁻) ∈ {P⁺, Q⁺} × {P⁻, Q⁻} of (E[S⁻] − E[S⁺]),
///
/// where the expectations are the means of the similarities themselves, as in the reference implementation.
/// Unlike the reference, which takes positive pairs given apart and keeps those above a threshold (0), and
/// takes each sample's maximum over the upper triangle of the similarity matrix of a batch of distinct
/// identities (so the last sample's is 0), every same-identity pair is a positive here and every
/// other-identity sample of the stream a candidate negative.
/// The easy stream is detached: gradients reach the hard embeddings only, so the teacher is not pulled toward
/// the student (its teacher–teacher order term is a constant).
///
/// A stream without a same-identity pair has no positive distribution, and one with a single identity no
/// negative one: a KL term missing either side is 0, and the order sum leaves out the pairs involving a
/// missing distribution (it is 0 when nothing is left). The total is added to the classification loss.
public struct DistributionDistillationLoss: Sendable, Codable, Equatable {
    /// Number of histogram bins, evenly spaced over [−1, 1] inclusive (at least 2).
    ///
    /// The default 201 (spacing 0.01) resolves the 0.1-wide kernel with 10 bins per standard deviation. The
    /// reference uses spacing 0.001 (1000 bins over [0, 1)); on random similarity sets the KL terms at 201 and
    /// 2001 bins differ by at most 0.6 % (`scripts/loss_references.py`), while the histograms cost and keep
    /// for the backward pass `similarities × bins` values, ten times fewer.
    public let bins: Int
    /// Standard deviation σ of the Gaussian kernel of the soft histograms (positive).
    public let kernelWidth: Double
    /// Weight λ₁ of KL(P⁺‖Q⁺).
    public let positiveWeight: Double
    /// Weight λ₂ of KL(P⁻‖Q⁻).
    public let negativeWeight: Double
    /// Weight λ₃ of the order term.
    public let orderWeight: Double

    /// A loss with the given histogram and weights; the defaults are the reference implementation's weights.
    public init(
        bins: Int = 201, kernelWidth: Double = 0.1, positiveWeight: Double = 0.1, negativeWeight: Double = 0.02,
        orderWeight: Double = 0.5
    ) {
        precondition(bins >= 2, "DistributionDistillationLoss needs at least 2 bins, got \(bins)")
        precondition(kernelWidth > 0, "DistributionDistillationLoss needs a positive kernel width, got \(kernelWidth)")
        self.bins = bins
        self.kernelWidth = kernelWidth
        self.positiveWeight = positiveWeight
        self.negativeWeight = negativeWeight
        self.orderWeight = orderWeight
    }

    /// Decodes a configuration, rejecting fewer than 2 bins or a kernel width that is not positive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bins = try container.decode(Int.self, forKey: .bins)
        kernelWidth = try container.decode(Double.self, forKey: .kernelWidth)
        positiveWeight = try container.decode(Double.self, forKey: .positiveWeight)
        negativeWeight = try container.decode(Double.self, forKey: .negativeWeight)
        orderWeight = try container.decode(Double.self, forKey: .orderWeight)
        guard bins >= 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .bins, in: container, debugDescription: "expected at least 2 bins, got \(bins)")
        }
        guard kernelWidth > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .kernelWidth, in: container,
                debugDescription: "expected a positive kernel width, got \(kernelWidth)")
        }
    }

    /// The weighted total and its three unweighted terms, each a 0-D tensor.
    public struct Terms {
        /// `positiveWeight · positiveKL + negativeWeight · negativeKL + orderWeight · order`.
        public var total: Tensor
        /// KL(P⁺‖Q⁺) between the easy and hard positive-similarity histograms.
        public var positiveKL: Tensor
        /// KL(P⁻‖Q⁻) between the easy and hard hardest-negative histograms.
        public var negativeKL: Tensor
        /// `Σ (E[S⁻] − E[S⁺])` over the teacher/student combinations.
        public var order: Tensor
    }

    /// The loss between an easy stream (embeddings `[N, D]`, int64 labels `[N]`) and a hard stream
    /// (`[M, D]`, `[M]`); the embeddings need not be normalized.
    public func callAsFunction(easy: Tensor, easyLabels: Tensor, hard: Tensor, hardLabels: Tensor) -> Terms {
        let teacher = StreamSimilarities(Functional.normalize(easy.detached()), labels: easyLabels)
        let student = StreamSimilarities(Functional.normalize(hard), labels: hardLabels)
        let histogram = SoftHistogram(bins: bins, kernelWidth: kernelWidth)
        func divergence(_ p: Tensor?, _ q: Tensor?) -> Tensor {
            guard let p, let q else { return Tensor.zeros([], dtype: hard.dtype) }
            return SoftHistogram.klDivergence(histogram(p), histogram(q))
        }
        let positiveKL = divergence(teacher.positives, student.positives)
        let negativeKL = divergence(teacher.negatives, student.negatives)
        var order = Tensor.zeros([], dtype: hard.dtype)
        for positives in [teacher.positives, student.positives].compactMap({ $0 }) {
            for negatives in [teacher.negatives, student.negatives].compactMap({ $0 }) {
                order = order + negatives.mean() - positives.mean()
            }
        }
        let total = positiveKL * positiveWeight + negativeKL * negativeWeight + order * orderWeight
        return Terms(total: total, positiveKL: positiveKL, negativeKL: negativeKL, order: order)
    }
}

/// The positive and hardest-negative cosine similarities within one stream of normalized embeddings.
private struct StreamSimilarities {
    /// Similarities of all same-identity pairs (each unordered pair once), or nil when there is none.
    var positives: Tensor?
    /// Per sample with another identity in the stream, its highest similarity to one; nil when there is none.
    var negatives: Tensor?

    init(_ embeddings: Tensor, labels: Tensor) {
        precondition(
            embeddings.rank == 2 && labels.rank == 1 && labels.size(0) == embeddings.size(0),
            "DistributionDistillationLoss expects embeddings [N, D] and labels [N], got \(embeddings.shape) and "
                + "\(labels.shape)")
        let count = embeddings.size(0)
        let similarity = embeddings.matmul(embeddings.transposed())
        let sameIdentity = labels.view([-1, 1]) .== labels.view([1, -1])
        let index = Tensor.arange(count)
        let upper = index.view([-1, 1]) .< index.view([1, -1])
        let positives = similarity.maskedSelect(sameIdentity .& upper)
        self.positives = positives.count > 0 ? positives : nil
        let hasNegative = (.!sameIdentity).any(1)
        let hardest = similarity.maskedFill(sameIdentity, -.infinity).max(1).values.maskedSelect(hasNegative)
        negatives = hardest.count > 0 ? hardest : nil
    }
}
