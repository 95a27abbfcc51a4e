/// Scales the gradients of `parameters` down so that their combined norm is at most `maxNorm`, in place, and
/// returns their combined norm before clipping (PyTorch's `torch.nn.utils.clip_grad_norm_`).
///
/// The norm treats all gradients as one vector: the `normType`-norm of the per-gradient norms (`.infinity` for
/// the largest absolute element). Gradients are multiplied by `min(1, maxNorm / (norm + 1e-6))`, computed in the
/// gradients' dtype as PyTorch does. Parameters without a gradient are ignored; with none at all the norm is 0.
/// A non-finite norm (NaN or ∞) is returned as is, and the gradients are scaled by it like PyTorch's default;
/// check `isFinite` on the result to skip such a step.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double, normType: Double = 2) -> Double {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    return withoutGrad {
        let totalNorm: Tensor
        if normType == .infinity {
            let norms = gradients.map { $0.detached().abs().max() }
            totalNorm = norms.count == 1 ? norms[0] : Tensor.stack(norms).max()
        } else {
            totalNorm = Tensor.stack(gradients.map { $0.detached().norm(normType) }).norm(normType)
        }
        let clipCoefficient = maxNorm / (totalNorm + 1e-6)
        let clamped = clipCoefficient.clamp(max: 1.0)
        for gradient in gradients {
            gradient.detached().mul_(clamped)
        }
        return totalNorm.item
    }
}

/// Limits every gradient element of `parameters` to [−`clipValue`, `clipValue`], in place
/// (PyTorch's `torch.nn.utils.clip_grad_value_`). Parameters without a gradient are ignored.
public func clipGradValue(_ parameters: [Tensor], clipValue: Double) {
    withoutGrad {
        for gradient in parameters.compactMap(\.grad) {
            gradient.detached().clamp_(min: -clipValue, max: clipValue)
        }
    }
}
