/// Reductions. `dims` empty means over all elements.
extension Tensor {
    public func sum() -> Tensor { Torch.call("aten::sum", self).tensor() }
    public func sum(_ dims: [Int], keepDim: Bool = false) -> Tensor {
        Torch.call("aten::sum.dim_IntList", self, dims, keepDim).tensor()
    }
    public func sum(_ dim: Int, keepDim: Bool = false) -> Tensor { sum([dim], keepDim: keepDim) }

    public func mean() -> Tensor { Torch.call("aten::mean", self).tensor() }
    public func mean(_ dims: [Int], keepDim: Bool = false) -> Tensor {
        Torch.call("aten::mean.dim", self, dims, keepDim).tensor()
    }
    public func mean(_ dim: Int, keepDim: Bool = false) -> Tensor { mean([dim], keepDim: keepDim) }

    /// Largest element.
    public func max() -> Tensor { Torch.call("aten::max", self).tensor() }
    /// Largest elements along `dim` and their indices.
    public func max(_ dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let results = Torch.call("aten::max.dim", self, dim, keepDim)
        return (results.tensor(0), results.tensor(1))
    }
    public func min() -> Tensor { Torch.call("aten::min", self).tensor() }
    public func min(_ dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let results = Torch.call("aten::min.dim", self, dim, keepDim)
        return (results.tensor(0), results.tensor(1))
    }
    public func argmax(_ dim: Int, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::argmax", self, dim, keepDim).tensor()
    }
    public func argmin(_ dim: Int, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::argmin", self, dim, keepDim).tensor()
    }
}
