import Torch

/// Merges a batch normalization (in evaluation mode) into the convolution or fully connected layer before it.
///
/// With `s = γ / √(runningVar + ε)`, the folded layer has weight `W · s` (per output channel) and bias
/// `(b − runningMean) · s + β`, so it computes what the pair computes in evaluation mode in one pass.
/// A normalization without running statistics (batch statistics at inference) cannot be folded and is kept.
public enum BatchNormFolding {
    /// The convolution equivalent to `convolution` followed by `norm` in evaluation mode (always with a bias).
    public static func folded(_ convolution: Conv2d, _ norm: BatchNorm) -> Conv2d {
        precondition(norm.numFeatures == convolution.outChannels,
                     "BatchNormFolding: \(norm.numFeatures) normalized channels after \(convolution.outChannels)")
        let result = Conv2d(
            convolution.inChannels, convolution.outChannels, kernelSize: convolution.kernelSize,
            stride: convolution.stride, padding: convolution.padding, dilation: convolution.dilation,
            groups: convolution.groups, bias: true)
        let (scale, shift) = scaleAndShift(norm, bias: convolution.bias)
        withoutGrad {
            _ = result.weight.copy_(convolution.weight * scale.view([-1, 1, 1, 1]))
            _ = result.bias!.copy_(shift)
        }
        return result
    }

    /// The fully connected layer equivalent to `linear` followed by `norm` in evaluation mode (with a bias).
    public static func folded(_ linear: Linear, _ norm: BatchNorm) -> Linear {
        precondition(norm.numFeatures == linear.outFeatures,
                     "BatchNormFolding: \(norm.numFeatures) normalized features after \(linear.outFeatures)")
        let result = Linear(linear.inFeatures, linear.outFeatures, bias: true)
        let (scale, shift) = scaleAndShift(norm, bias: linear.bias)
        withoutGrad {
            _ = result.weight.copy_(linear.weight * scale.view([-1, 1]))
            _ = result.bias!.copy_(shift)
        }
        return result
    }

    /// `layers` with every convolution or fully connected layer that a foldable batch normalization directly
    /// follows replaced by the folded layer, and the normalization by ``Identity`` (so the indices, and the
    /// state-dict names of the other layers, stay as they were).
    public static func folded(_ layers: Sequential) -> Sequential {
        var result = layers.layers
        for index in result.indices.dropLast() {
            guard let norm = result[index + 1] as? BatchNorm, canFold(norm) else { continue }
            if let convolution = result[index] as? Conv2d {
                result[index] = folded(convolution, norm)
            } else if let linear = result[index] as? Linear {
                result[index] = folded(linear, norm)
            } else {
                continue
            }
            result[index + 1] = Identity()
        }
        return Sequential(result)
    }

    /// Folds `norm` into `convolution` when it is a foldable ``BatchNorm``, leaving ``Identity`` in its place.
    public static func fold(_ convolution: inout Conv2d, _ norm: inout Module) {
        guard let batchNorm = norm as? BatchNorm, canFold(batchNorm) else { return }
        convolution = folded(convolution, batchNorm)
        norm = Identity()
    }

    /// Folds `norm` into `linear` when it is a foldable ``BatchNorm``, leaving ``Identity`` in its place.
    public static func fold(_ linear: inout Linear, _ norm: inout Module) {
        guard let batchNorm = norm as? BatchNorm, canFold(batchNorm) else { return }
        linear = folded(linear, batchNorm)
        norm = Identity()
    }

    /// Whether `norm` uses running statistics in evaluation mode, so it can be folded.
    public static func canFold(_ norm: BatchNorm) -> Bool { norm.tracksRunningStats }

    /// The per-channel scale `γ / √(var + ε)` and the folded bias `(b − mean) · scale + β`.
    private static func scaleAndShift(_ norm: BatchNorm, bias: Tensor?) -> (Tensor, Tensor) {
        withoutGrad {
            guard let mean = norm.runningMean, let variance = norm.runningVar else {
                preconditionFailure("BatchNormFolding: a batch normalization without running statistics")
            }
            var scale = (variance + norm.eps).rsqrt()
            if let weight = norm.weight { scale = scale * weight }
            var shift = ((bias ?? Tensor.zeros([norm.numFeatures])) - mean) * scale
            if let beta = norm.bias { shift = shift + beta }
            return (scale, shift)
        }
    }
}
