extension Functional {
    /// Batch normalization over dimension 1 (`torch.nn.functional.batch_norm`).
    ///
    /// In training mode the batch statistics normalize the input and, when given, `runningMean` and `runningVar`
    /// are updated in place: `running = (1 - momentum) · running + momentum · batchStatistic` (the variance
    /// with Bessel's correction). In evaluation mode the running statistics normalize the input.
    public static func batchNorm(
        _ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?, bias: Tensor?, training: Bool,
        momentum: Double = 0.1, eps: Double = 1e-5
    ) -> Tensor {
        Torch.call("aten::batch_norm", x, weight, bias, runningMean, runningVar, training, momentum, eps, false)
            .tensor()
    }

    /// Layer normalization over the trailing `normalizedShape` dimensions (`torch.nn.functional.layer_norm`).
    public static func layerNorm(
        _ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5
    ) -> Tensor {
        Torch.call("aten::layer_norm", x, normalizedShape, weight, bias, eps).tensor()
    }

    /// Group normalization: channels split into `groups`, each normalized over its channels and spatial
    /// positions (`torch.nn.functional.group_norm`); `weight` and `bias` are per channel.
    public static func groupNorm(
        _ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double = 1e-5
    ) -> Tensor {
        Torch.call("aten::group_norm", x, groups, weight, bias, eps).tensor()
    }

    /// Instance normalization: each channel of each sample normalized over its spatial positions
    /// (`torch.nn.functional.instance_norm`).
    ///
    /// With `useInputStatistics` (the default) the instance statistics are used and, when given, the running
    /// statistics updated in place; otherwise the running statistics normalize the input.
    public static func instanceNorm(
        _ x: Tensor, runningMean: Tensor? = nil, runningVar: Tensor? = nil, weight: Tensor? = nil,
        bias: Tensor? = nil, useInputStatistics: Bool = true, momentum: Double = 0.1, eps: Double = 1e-5
    ) -> Tensor {
        Torch.call(
            "aten::instance_norm", x, weight, bias, runningMean, runningVar, useInputStatistics, momentum, eps, false
        ).tensor()
    }
}
