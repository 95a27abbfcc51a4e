/// Fully connected layer `y = x · weightᵀ + bias` over the last dimension (`torch.nn.Linear`).
///
/// State: `weight` `[outFeatures, inFeatures]`, `bias` `[outFeatures]` (absent with `bias: false`), both
/// initialized as PyTorch does, from U(−1/√inFeatures, 1/√inFeatures).
public final class Linear: Module {
    /// Size of each input's last dimension.
    public let inFeatures: Int
    /// Size of each output's last dimension.
    public let outFeatures: Int
    /// `[outFeatures, inFeatures]`.
    public let weight: Tensor
    /// `[outFeatures]`, or nil for a layer without bias.
    public let bias: Tensor?

    /// A layer mapping `inFeatures` to `outFeatures`, with a bias unless `bias` is false.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = makeParameter([outFeatures, inFeatures])
        self.bias = bias ? makeParameter([outFeatures]) : nil
        super.init()
        Initializers.layerDefault(weight: weight, bias: self.bias)
    }

    /// `[..., inFeatures]` → `[..., outFeatures]`.
    public override func forward(_ input: Tensor) -> Tensor {
        let output = Functional.linear(input, weight: weight, bias: bias)
        FLOPCounter.report(multiplyAccumulates: output.count * inFeatures)
        return output
    }
}
