extension Functional {
    /// Cross-entropy between `logits` (`[N, C]` or `[N, C, d…]`, unnormalized) and `target`
    /// (`torch.nn.functional.cross_entropy`).
    ///
    /// - Parameters:
    ///   - target: int64 class indices (`[N]` or `[N, d…]`), or class probabilities of the logits' shape.
    ///   - weight: per-class weights `[C]`; with `.mean` the result is the weighted mean.
    ///   - ignoreIndex: a class index whose samples contribute nothing (index targets only).
    ///   - labelSmoothing: ε in [0, 1]: the target becomes `(1 − ε) · onehot + ε / C`.
    public static func crossEntropy(
        _ logits: Tensor, target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        labelSmoothing: Double = 0, reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::cross_entropy_loss", logits, target, weight, reduction.rawValue, ignoreIndex, labelSmoothing)
            .tensor()
    }

    /// Negative log-likelihood `−logProbabilities[n, target[n]]` (`torch.nn.functional.nll_loss`), for
    /// log-probabilities `[N, C]` or `[N, C, d…]` and int64 class indices.
    public static func nllLoss(
        _ logProbabilities: Tensor, target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::nll_loss_nd", logProbabilities, target, weight, reduction.rawValue, ignoreIndex).tensor()
    }

    /// How ``klDivergence(_:target:reduction:logTarget:)`` combines its pointwise terms.
    public enum KLDivergenceReduction: Sendable {
        /// One term per element.
        case none
        /// The mean over all elements (not the mathematical KL divergence per sample).
        case mean
        /// The sum over all elements.
        case sum
        /// The sum divided by the batch size (dimension 0): the mean KL divergence per sample.
        case batchMean
    }

    /// Kullback–Leibler divergence `Σ target · (log target − input)` (`torch.nn.functional.kl_div`), where
    /// `input` holds log-probabilities and `target` probabilities, or log-probabilities when `logTarget`.
    public static func klDivergence(
        _ input: Tensor, target: Tensor, reduction: KLDivergenceReduction = .batchMean, logTarget: Bool = false
    ) -> Tensor {
        let code: Reduction =
            switch reduction {
            case .none: .none
            case .mean: .mean
            case .sum, .batchMean: .sum
            }
        let divergence = Torch.call("aten::kl_div", input, target, code.rawValue, kw("log_target", logTarget))
            .tensor()
        return reduction == .batchMean ? divergence / Double(input.size(0)) : divergence
    }

    /// Mean squared error `(input − target)²`.
    public static func mseLoss(_ input: Tensor, target: Tensor, reduction: Reduction = .mean) -> Tensor {
        Torch.call("aten::mse_loss", input, target, reduction.rawValue).tensor()
    }

    /// Absolute error `|input − target|`.
    public static func l1Loss(_ input: Tensor, target: Tensor, reduction: Reduction = .mean) -> Tensor {
        Torch.call("aten::l1_loss", input, target, reduction.rawValue).tensor()
    }

    /// `0.5 · d² / beta` where `d = |input − target| < beta`, else `d − 0.5 · beta`
    /// (`torch.nn.functional.smooth_l1_loss`).
    public static func smoothL1Loss(
        _ input: Tensor, target: Tensor, beta: Double = 1, reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::smooth_l1_loss", input, target, reduction.rawValue, beta).tensor()
    }

    /// `0.5 · d²` where `d = |input − target| < delta`, else `delta · (d − 0.5 · delta)`
    /// (`torch.nn.functional.huber_loss`).
    public static func huberLoss(
        _ input: Tensor, target: Tensor, delta: Double = 1, reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::huber_loss", input, target, reduction.rawValue, delta).tensor()
    }

    /// Binary cross-entropy of `sigmoid(logits)` against probabilities `target`, computed stably from the logits
    /// (`torch.nn.functional.binary_cross_entropy_with_logits`).
    ///
    /// - Parameters:
    ///   - weight: per-element weights, broadcast to the input.
    ///   - positiveWeight: weights of the positive term per class (last dimension), to trade recall for
    ///     precision.
    public static func binaryCrossEntropyWithLogits(
        _ logits: Tensor, target: Tensor, weight: Tensor? = nil, positiveWeight: Tensor? = nil,
        reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::binary_cross_entropy_with_logits", logits, target, weight, positiveWeight,
                   reduction.rawValue).tensor()
    }

    /// Binary cross-entropy `−(t · log p + (1 − t) · log(1 − p))` of probabilities `input` against `target`.
    public static func binaryCrossEntropy(
        _ input: Tensor, target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean
    ) -> Tensor {
        Torch.call("aten::binary_cross_entropy", input, target, weight, reduction.rawValue).tensor()
    }
}
