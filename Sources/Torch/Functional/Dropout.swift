extension Functional {
    /// Zeroes each element with probability `p` and scales the rest by `1 / (1 − p)` when `training`;
    /// the identity otherwise.
    public static func dropout(_ x: Tensor, p: Double, training: Bool) -> Tensor {
        Torch.call("aten::dropout", x, p, training).tensor()
    }
}
