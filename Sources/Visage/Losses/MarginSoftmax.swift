import Torch

/// The classification head of face-recognition training: class weights and the loss of a ``MarginKind``.
///
/// One implementation serves every kind. For the margin kinds the logits are `s · cos θ_j` with
/// `cos θ_j = ⟨x/‖x‖, W_j/‖W_j‖⟩` clamped to [−1, 1]; during training (``logits(_:labels:)``) the target
/// class's cosine is replaced by ``MarginKind/targetCosine(_:)`` and, for CurricularFace, the hard negatives
/// are modulated. ``MarginKind/softmax`` is an affine classifier `x · Wᵀ + b` instead.
///
/// State-dict keys follow insightface: `weight` `[classes, embeddingSize]`, `bias` `[classes]` (softmax only),
/// `t` `[1]` (CurricularFace only, as in the reference implementation).
public final class MarginSoftmax: Module {
    /// Length of the embeddings the head takes.
    public let embeddingSize: Int
    /// Number of identities.
    public let classes: Int
    /// The loss this head trains with.
    public let kind: MarginKind
    /// Class weights `[classes, embeddingSize]`, one row per identity.
    public let weight: Tensor
    /// Class biases `[classes]` for ``MarginKind/softmax``; nil for the margin kinds.
    public let bias: Tensor?
    /// CurricularFace's running mean of the target cosine `[1]` (0 at first); nil for the other kinds.
    ///
    /// Each training call of ``logits(_:labels:)`` moves it 1 % toward the batch's mean target cosine
    /// (`t ← 0.01 · mean cos θ_y + 0.99 · t`), before it modulates that batch's hard negatives.
    @Buffer public private(set) var t: Tensor?

    /// A head for `classes` identities over `embeddingSize`-dimensional embeddings.
    ///
    /// Softmax weights and bias start as PyTorch's `nn.Linear` does (U(−1/√embeddingSize, 1/√embeddingSize));
    /// margin-kind weights from N(0, 0.01²), as insightface's partial FC.
    public init(embeddingSize: Int, classes: Int, kind: MarginKind) {
        self.embeddingSize = embeddingSize
        self.classes = classes
        self.kind = kind
        weight = Tensor.zeros([classes, embeddingSize]).requiresGrad(true)
        switch kind {
        case .softmax:
            let bound = 1 / Double(embeddingSize).squareRoot()
            Initializers.uniform(weight, low: -bound, high: bound)
            bias = Initializers.uniform(Tensor.zeros([classes]), low: -bound, high: bound).requiresGrad(true)
            t = nil
        case .cosFace, .arcFace:
            Initializers.normal(weight, std: 0.01)
            bias = nil
            t = nil
        case .curricularFace:
            Initializers.normal(weight, std: 0.01)
            bias = nil
            t = Tensor.zeros([1])
        }
        super.init()
    }

    /// Sets every class weight to the normalized mean of that class's embeddings ("weight imprinting", Qi et
    /// al. 2018) and zeroes softmax biases, so a head over a pretrained backbone starts where the backbone
    /// already separates the classes instead of at random directions.
    /// - Parameters:
    ///   - embeddings: one row per sample (`rows × embeddingSize`).
    ///   - labels: the sample's class in 0..<``classes``, one per row.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the sizes disagree, a label is out of range, or a class
    ///   has no sample (its weight would stay undefined).
    public func imprint(embeddings: FeatureMatrix, labels: [Int]) throws {
        guard embeddings.columns == embeddingSize else {
            throw DataError.invalidArgument("imprinting needs \(embeddingSize)-D embeddings, got \(embeddings.columns)-D")
        }
        let imprinted = try Self.imprintedCenters(embeddings: embeddings, labels: labels, classes: classes,
                                                  range: 0..<classes)
        withoutGrad {
            _ = weight.copy_(imprinted)
            _ = bias?.zero_()
        }
    }

    /// The logits without margin (``plainLogits(_:)``).
    public override func forward(_ embeddings: Tensor) -> Tensor {
        plainLogits(embeddings)
    }

    /// `cos θ` `[N, classes]` between the embeddings `[N, embeddingSize]` and every class weight (``weight``, or
    /// `weight` when given), clamped to [−1, 1].
    public func cosines(_ embeddings: Tensor, weight: Tensor? = nil) -> Tensor {
        Functional.normalize(embeddings).matmul(Functional.normalize(weight ?? self.weight).transposed())
            .clamp(min: -1, max: 1)
    }

    /// The logits `[N, classes]` without margin, for accuracy and prediction: `s · cos θ`, or `x · Wᵀ + b` for
    /// softmax.
    public func plainLogits(_ embeddings: Tensor) -> Tensor {
        guard let scale = kind.scale else {
            return Functional.linear(embeddings, weight: weight, bias: bias)
        }
        return cosines(embeddings) * scale
    }

    /// The training logits `[N, classes]` for embeddings `[N, embeddingSize]` and int64 labels `[N]` in
    /// `0..<classes`: the margin applied to each sample's target class, everything scaled.
    ///
    /// Labels outside `0..<classes` are reported as libtorch index errors (thrown inside `withTorchErrors`).
    /// For CurricularFace in training mode this updates ``t``. With `weight` the class weights are that tensor
    /// instead of ``weight`` (a meta-learning inner step's updated weights, still differentiable).
    public func logits(_ embeddings: Tensor, labels: Tensor, weight: Tensor? = nil) -> Tensor {
        guard labels.rank == 1, embeddings.rank == 2, labels.size(0) == embeddings.size(0) else {
            return invalidInput(
                "expected embeddings [N, \(embeddingSize)] and labels [N], got \(embeddings.shape) and \(labels.shape)")
        }
        guard let scale = kind.scale else {
            return Functional.linear(embeddings, weight: weight ?? self.weight, bias: bias)
        }
        let cosine = cosines(embeddings, weight: weight)
        let targetIndex = labels.view([-1, 1])
        let target = cosine.gather(1, targetIndex)
        let marginTarget = kind.targetCosine(target)
        var others = cosine
        if case .curricularFace = kind, let t {
            if isTraining {
                withoutGrad { _ = t.mul_(0.99).add_(target.mean() * 0.01) }
            }
            // The paper's test against the final target T(cos θ_y); the reference implementation compares with
            // cos(θ_y + m) before the θ_y + m > π fallback, which differs only for near-opposite targets.
            let hard = cosine .> marginTarget
            others = (cosine * (cosine + t.detached())).where(hard, cosine)
        }
        return others.scatter(1, targetIndex, marginTarget) * scale
    }

    /// The mean cross-entropy of ``logits(_:labels:weight:)`` against `labels`.
    public func loss(_ embeddings: Tensor, labels: Tensor, weight: Tensor? = nil) -> Tensor {
        Functional.crossEntropy(logits(embeddings, labels: labels, weight: weight), target: labels)
    }
}

extension MarginSoftmax: ClassificationHead {
    /// False: every rank holds the whole head.
    public var isSharded: Bool { false }

    /// ``loss(_:labels:weight:)`` with the head's own weights.
    public func classificationLoss(_ embeddings: Tensor, labels: Tensor) throws -> Tensor {
        loss(embeddings, labels: labels)
    }
}
