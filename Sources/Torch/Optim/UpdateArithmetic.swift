/// Out-of-place arithmetic that optimizers need in exactly PyTorch's form, so that updates round identically
/// (`a + alpha * b` as one `add` kernel is not bit-identical to a multiply followed by an add).
extension Tensor {
    /// self + alpha * other, as `torch.add(self, other, alpha=alpha)`.
    func adding(_ other: Tensor, alpha: Double) -> Tensor {
        Torch.call("aten::add.Tensor", self, other, alpha).tensor()
    }

    /// self + value * t1 * t2, as `torch.addcmul(self, t1, t2, value=value)`.
    func addingProduct(_ t1: Tensor, _ t2: Tensor, value: Double) -> Tensor {
        Torch.call("aten::addcmul", self, t1, t2, value).tensor()
    }
}
