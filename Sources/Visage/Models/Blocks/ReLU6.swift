import Torch

/// `min(max(x, 0), 6)` as a module, for ``Sequential`` (`torch.nn.ReLU6`).
public final class ReLU6: Module {
    /// A ReLU6 activation.
    public override init() { super.init() }

    /// The input clamped to [0, 6].
    public override func forward(_ input: Tensor) -> Tensor { Functional.relu6(input) }
}
