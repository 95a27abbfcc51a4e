/// `max(x, 0)` as a module, for ``Sequential`` (`torch.nn.ReLU`).
public final class ReLU: Module {
    /// A ReLU activation.
    public override init() { super.init() }

    /// The input with negative elements set to zero.
    public override func forward(_ input: Tensor) -> Tensor { Functional.relu(input) }
}

/// The identity as a module, a placeholder in ``Sequential`` or for a removed head (`torch.nn.Identity`).
public final class Identity: Module {
    /// An identity layer.
    public override init() { super.init() }

    /// The input, unchanged.
    public override func forward(_ input: Tensor) -> Tensor { input }
}
