/// Batch normalization over the channel dimension (dimension 1); the shared implementation of
/// ``BatchNorm1d`` and ``BatchNorm2d`` (`torch.nn.modules.batchnorm._BatchNorm`).
///
/// In training mode each channel is normalized with the batch's mean and (biased) variance, and the running
/// statistics move toward the batch's: `running = (1 − momentum) · running + momentum · batch`, the variance
/// with Bessel's correction. In evaluation mode the running statistics normalize. Without running statistics
/// (`trackRunningStats: false`) batch statistics are used in both modes.
///
/// State-dict keys, as PyTorch's: `weight`, `bias` (with `affine`), `running_mean`, `running_var`,
/// `num_batches_tracked` (with `trackRunningStats`).
public class BatchNorm: Module {
    /// Channels of the input (dimension 1).
    public let numFeatures: Int
    /// Added to the variance for numerical stability.
    public let eps: Double
    /// Weight of the newest batch in the running statistics; nil for a cumulative (equal-weight) average.
    public let momentum: Double?
    /// Per-channel scale `[numFeatures]` (ones at first), or nil without `affine`.
    public let weight: Tensor?
    /// Per-channel shift `[numFeatures]` (zeros at first), or nil without `affine`.
    public let bias: Tensor?
    /// Running per-channel mean `[numFeatures]`, or nil without `trackRunningStats`.
    @Buffer public private(set) var runningMean: Tensor?
    /// Running per-channel variance `[numFeatures]`, or nil without `trackRunningStats`.
    @Buffer public private(set) var runningVar: Tensor?
    /// Number of training batches seen (0-D int64), or nil without `trackRunningStats`.
    @Buffer public private(set) var numBatchesTracked: Tensor?

    /// A batch normalization of `numFeatures` channels.
    ///
    /// - Parameters:
    ///   - affine: learn a per-channel scale and shift.
    ///   - trackRunningStats: keep running statistics for evaluation.
    public init(
        _ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true
    ) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        weight = affine ? Tensor.ones([numFeatures]).requiresGrad(true) : nil
        bias = affine ? makeParameter([numFeatures]) : nil
        runningMean = trackRunningStats ? Tensor.zeros([numFeatures]) : nil
        runningVar = trackRunningStats ? Tensor.ones([numFeatures]) : nil
        numBatchesTracked = trackRunningStats ? Tensor.zeros([], dtype: .int64) : nil
        super.init()
    }

    /// Maps the buffers to PyTorch's names.
    public override var stateKeyNames: [String: String] {
        super.stateKeyNames.merging(
            ["runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"]
        ) { $1 }
    }

    /// Whether the layer keeps running statistics.
    public var tracksRunningStats: Bool { runningMean != nil }

    /// Why `input` is not a shape this layer takes, or nil if it is.
    func inputProblem(_ input: Tensor) -> String? {
        input.rank >= 2 ? nil : "expected an input with a channel dimension, got shape \(input.shape)"
    }

    /// Resets the running statistics to mean 0, variance 1 and no batches seen.
    public func resetRunningStats() {
        withoutGrad {
            runningMean?.zero_()
            runningVar?.fill_(1)
            numBatchesTracked?.zero_()
        }
    }

    /// The normalized input, of the input's shape.
    public override func forward(_ input: Tensor) -> Tensor {
        if let problem = inputProblem(input) { return invalidInput(problem) }
        guard input.size(1) == numFeatures else {
            return invalidInput("expected \(numFeatures) channels in dimension 1, got shape \(input.shape)")
        }
        if isTraining && input.count == numFeatures {
            return invalidInput("expected more than 1 value per channel when training, got shape \(input.shape)")
        }
        var factor = momentum ?? 0
        if isTraining, let numBatchesTracked {
            withoutGrad { _ = Torch.call("aten::add_.Scalar", numBatchesTracked, 1) }
            if momentum == nil { factor = 1 / numBatchesTracked.item }
        }
        return Functional.batchNorm(
            input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
            training: isTraining || !tracksRunningStats, momentum: factor, eps: eps)
    }
}

/// Batch normalization of `[N, C]` or `[N, C, L]` inputs (`torch.nn.BatchNorm1d`); see ``BatchNorm``.
public final class BatchNorm1d: BatchNorm {
    override func inputProblem(_ input: Tensor) -> String? {
        input.rank == 2 || input.rank == 3 ? nil : "expected a 2-D or 3-D input, got shape \(input.shape)"
    }
}

/// Batch normalization of `[N, C, H, W]` inputs (`torch.nn.BatchNorm2d`); see ``BatchNorm``.
public final class BatchNorm2d: BatchNorm {
    override func inputProblem(_ input: Tensor) -> String? {
        input.rank == 4 ? nil : "expected a 4-D input, got shape \(input.shape)"
    }
}
