/// Operations that repeat, reverse or rotate elements.
extension Tensor {
    /// The tensor tiled `repeats[i]` times along dimension `i` (`torch.Tensor.repeat`); `repeats` may have more
    /// entries than this tensor has dimensions, adding leading ones.
    public func repeated(_ repeats: [Int]) -> Tensor { Torch.call("aten::repeat", self, repeats).tensor() }

    /// Each element repeated `count` times along `dim` (`torch.repeat_interleave`).
    public func repeatedElements(_ count: Int, dim: Int) -> Tensor {
        Torch.call("aten::repeat_interleave.self_int", self, count, dim).tensor()
    }

    /// The elements in reverse order along each of `dims`.
    public func flipped(_ dims: [Int]) -> Tensor { Torch.call("aten::flip", self, dims).tensor() }

    /// The elements shifted cyclically by `shifts[i]` along `dims[i]` (elements leaving one end re-enter at
    /// the other).
    public func rolled(_ shifts: [Int], dims: [Int]) -> Tensor {
        Torch.call("aten::roll", self, shifts, dims).tensor()
    }

    /// The lower triangle of the last two dimensions (above diagonal `offset` set to zero).
    public func lowerTriangle(_ offset: Int = 0) -> Tensor { Torch.call("aten::tril", self, offset).tensor() }

    /// The upper triangle of the last two dimensions (below diagonal `offset` set to zero).
    public func upperTriangle(_ offset: Int = 0) -> Tensor { Torch.call("aten::triu", self, offset).tensor() }
}
