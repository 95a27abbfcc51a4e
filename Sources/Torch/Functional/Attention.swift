import Foundation

extension Functional {
    /// `softmax(query · keyᵀ / √d + mask) · value` (`torch.nn.functional.scaled_dot_product_attention`).
    ///
    /// Written with batched matrix products: libtorch 1.13 has no fused attention kernel on CPU.
    ///
    /// - Parameters:
    ///   - query: `[..., L, d]`.
    ///   - key: `[..., S, d]`.
    ///   - value: `[..., S, dv]`.
    ///   - mask: broadcastable to `[..., L, S]`. A boolean mask keeps the positions where it is true (the others
    ///     get no attention); a floating-point mask is added to the scores.
    ///   - dropout: probability of dropping an attention weight, applied only when `training`.
    /// - Returns: `[..., L, dv]`.
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, dropout: Double = 0, training: Bool = false
    ) -> Tensor {
        let scale = 1 / Foundation.sqrt(Double(query.size(-1)))
        var scores = (query * scale).matmul(key.transposed(-2, -1))
        if let mask {
            if mask.dtype == .bool {
                let excluded = Torch.call("aten::logical_not", mask).tensor()
                scores = scores.maskedFill(excluded, -Double.infinity)
            } else {
                scores = scores + mask
            }
        }
        var weights = softmax(scores, dim: -1)
        if dropout > 0 && training {
            weights = Functional.dropout(weights, p: dropout, training: true)
        }
        return weights.matmul(value)
    }
}
