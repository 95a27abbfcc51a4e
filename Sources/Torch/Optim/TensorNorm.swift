/// Vector norms over all elements.
extension Tensor {
    /// The `p`-norm of all elements taken as one vector, as `torch.norm(tensor, p)` (`.infinity` for the max norm).
    public func norm(_ p: Double = 2) -> Tensor {
        Torch.call("aten::norm.ScalarOpt_dim", self, p, Array(0..<rank), false).tensor()
    }
}
