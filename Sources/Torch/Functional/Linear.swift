extension Functional {
    /// Affine map `x · weightᵀ + bias` over the last dimension (`torch.nn.functional.linear`).
    ///
    /// - Parameters:
    ///   - x: input of shape `[..., inFeatures]`.
    ///   - weight: `[outFeatures, inFeatures]`.
    ///   - bias: `[outFeatures]`, or nil for none.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        Torch.call("aten::linear", x, weight, bias).tensor()
    }
}
