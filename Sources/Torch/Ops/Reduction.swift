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

/// Norms and statistics. `dims` nil means over all elements.
extension Tensor {
    /// The vector `p`-norm (`(Σ|x|ᵖ)^(1/p)`; `.infinity` for the largest magnitude) over `dims`
    /// (`torch.linalg.vector_norm`).
    public func norm(_ p: Double = 2, dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::linalg_vector_norm", self, p, dims, keepDim).tensor()
    }

    /// The variance over `dims`; `unbiased` divides by `n − 1` (Bessel's correction) instead of `n`.
    public func variance(_ dims: [Int]? = nil, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::var.dim", self, dims, unbiased, keepDim).tensor()
    }

    /// The standard deviation over `dims`; `unbiased` divides by `n − 1` instead of `n`.
    public func standardDeviation(_ dims: [Int]? = nil, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::std.dim", self, dims, unbiased, keepDim).tensor()
    }

    /// `log Σ exp(x)` over `dims`, computed without overflow.
    public func logSumExp(_ dims: [Int], keepDim: Bool = false) -> Tensor {
        Torch.call("aten::logsumexp", self, dims, keepDim).tensor()
    }

    /// `log Σ exp(x)` along `dim`, computed without overflow.
    public func logSumExp(_ dim: Int, keepDim: Bool = false) -> Tensor { logSumExp([dim], keepDim: keepDim) }

    /// Product of all elements.
    public func prod() -> Tensor { Torch.call("aten::prod", self).tensor() }

    /// Products along `dim`.
    public func prod(_ dim: Int, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::prod.dim_int", self, dim, keepDim).tensor()
    }

    /// Whether every element is true (nonzero), as a 0-D boolean tensor.
    public func all() -> Tensor { Torch.call("aten::all", self).tensor() }

    /// Whether every element along `dim` is true (nonzero).
    public func all(_ dim: Int, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::all.dim", self, dim, keepDim).tensor()
    }

    /// Whether any element is true (nonzero), as a 0-D boolean tensor.
    public func any() -> Tensor { Torch.call("aten::any", self).tensor() }

    /// Whether any element along `dim` is true (nonzero).
    public func any(_ dim: Int, keepDim: Bool = false) -> Tensor {
        Torch.call("aten::any.dim", self, dim, keepDim).tensor()
    }
}

/// Scans: running reductions that keep the shape.
extension Tensor {
    /// Running sums along `dim`: `result[i] = Σ_{j ≤ i} self[j]`.
    public func cumsum(_ dim: Int) -> Tensor { Torch.call("aten::cumsum", self, dim).tensor() }

    /// Running products along `dim`.
    public func cumprod(_ dim: Int) -> Tensor { Torch.call("aten::cumprod", self, dim).tensor() }
}
