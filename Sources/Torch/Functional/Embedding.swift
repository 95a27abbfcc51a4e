extension Functional {
    /// Rows of `weight` picked by integer `indices` (`torch.nn.functional.embedding`).
    ///
    /// The result has shape `indices.shape + [weight.size(1)]`.
    public static func embedding(_ indices: Tensor, weight: Tensor) -> Tensor {
        Torch.call("aten::embedding", weight, indices).tensor()
    }

    /// Integer class indices as one-hot int64 vectors of length `classes` along a new last dimension
    /// (`torch.nn.functional.one_hot`); `classes` nil means one more than the largest index.
    public static func oneHot(_ indices: Tensor, classes: Int? = nil) -> Tensor {
        Torch.call("aten::one_hot", indices, classes ?? -1).tensor()
    }
}
