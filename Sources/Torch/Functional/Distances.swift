extension Functional {
    /// `x / max(‖x‖ₚ, eps)` along `dim` (`torch.nn.functional.normalize`); with the defaults, unit-length
    /// embeddings for cosine similarity.
    public static func normalize(_ x: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) -> Tensor {
        x / x.norm(p, dims: [dim], keepDim: true).clamp(min: eps)
    }

    /// `a · b / max(‖a‖ · ‖b‖, eps)` along `dim`, with broadcasting
    /// (`torch.nn.functional.cosine_similarity`).
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, dim: Int = 1, eps: Double = 1e-8) -> Tensor {
        Torch.call("aten::cosine_similarity", a, b, dim, eps).tensor()
    }

    /// `‖a − b + eps‖ₚ` along the last dimension, row by row (`torch.nn.functional.pairwise_distance`).
    public static func pairwiseDistance(
        _ a: Tensor, _ b: Tensor, p: Double = 2, eps: Double = 1e-6, keepDim: Bool = false
    ) -> Tensor {
        Torch.call("aten::pairwise_distance", a, b, p, eps, keepDim).tensor()
    }

    /// All `p`-norm distances between the rows of `a` (`[..., P, M]`) and of `b` (`[..., R, M]`), as
    /// `[..., P, R]` (`torch.cdist`).
    public static func cdist(_ a: Tensor, _ b: Tensor, p: Double = 2) -> Tensor {
        Torch.call("aten::cdist", a, b, p).tensor()
    }
}
