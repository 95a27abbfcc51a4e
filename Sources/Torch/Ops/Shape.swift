/// Shape and layout operations.
extension Tensor {
    /// The same elements with a new shape (one dimension may be -1); copies only if needed.
    public func reshaped(_ shape: [Int]) -> Tensor { Torch.call("aten::reshape", self, shape).tensor() }
    /// A view with a new shape; the tensor must be laid out compatibly.
    public func view(_ shape: [Int]) -> Tensor { Torch.call("aten::view", self, shape).tensor() }
    public func permuted(_ dims: [Int]) -> Tensor { Torch.call("aten::permute", self, dims).tensor() }
    public func transposed(_ dim0: Int = -2, _ dim1: Int = -1) -> Tensor {
        Torch.call("aten::transpose.int", self, dim0, dim1).tensor()
    }
    /// Dimensions `start` through `end` merged into one.
    public func flattened(from start: Int = 0, to end: Int = -1) -> Tensor {
        Torch.call("aten::flatten.using_ints", self, start, end).tensor()
    }
    public func squeezed(_ dim: Int) -> Tensor { Torch.call("aten::squeeze.dim", self, dim).tensor() }
    public func squeezed() -> Tensor { Torch.call("aten::squeeze", self).tensor() }
    public func unsqueezed(_ dim: Int) -> Tensor { Torch.call("aten::unsqueeze", self, dim).tensor() }
    /// A broadcast view of size `shape` (-1 keeps a dimension).
    public func expanded(_ shape: [Int]) -> Tensor { Torch.call("aten::expand", self, shape).tensor() }
    /// Contiguous in `format` (a copy unless it already is).
    public func contiguous(_ format: MemoryFormat = .contiguous) -> Tensor {
        Torch.call("aten::contiguous", self, format).tensor()
    }

    /// The tensors joined along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        Torch.call("aten::cat", tensors, dim).tensor()
    }
    /// The tensors joined along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        Torch.call("aten::stack", tensors, dim).tensor()
    }
}
