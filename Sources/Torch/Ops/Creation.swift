/// Factory functions, as in `torch.zeros`, `torch.randn`, …
extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Torch.call("aten::zeros", shape, dtype).tensor()
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Torch.call("aten::ones", shape, dtype).tensor()
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) -> Tensor {
        Torch.call("aten::full", shape, value, dtype).tensor()
    }

    /// Uniform samples in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Torch.call("aten::rand", shape, dtype).tensor()
    }

    /// Standard normal samples.
    public static func randn(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Torch.call("aten::randn", shape, dtype).tensor()
    }

    /// Random integers in [low, high).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64) -> Tensor {
        Torch.call("aten::randint.low", low, high, shape, dtype).tensor()
    }

    /// A random permutation of 0..<n.
    public static func randperm(_ n: Int) -> Tensor {
        Torch.call("aten::randperm", n, DType.int64).tensor()
    }

    /// Values from `start` up to (not including) `end`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32) -> Tensor {
        Torch.call("aten::arange.start_step", start, end, step, dtype).tensor()
    }

    /// The integers 0..<end as int64.
    public static func arange(_ end: Int) -> Tensor {
        Torch.call("aten::arange", end, DType.int64).tensor()
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) -> Tensor {
        Torch.call("aten::linspace", start, end, steps, dtype).tensor()
    }

    /// The n×n identity matrix.
    public static func eye(_ n: Int, dtype: DType = .float32) -> Tensor {
        Torch.call("aten::eye", n, dtype).tensor()
    }

    public func zerosLike() -> Tensor { Torch.call("aten::zeros_like", self).tensor() }
    public func onesLike() -> Tensor { Torch.call("aten::ones_like", self).tensor() }
    public func randnLike() -> Tensor { Torch.call("aten::randn_like", self).tensor() }
    public func randLike() -> Tensor { Torch.call("aten::rand_like", self).tensor() }
    public func fullLike(_ value: Double) -> Tensor { Torch.call("aten::full_like", self, value).tensor() }
}

extension Tensor {
    /// This tensor converted to `dtype` (a new tensor; the same one if the dtype already matches).
    public func to(_ dtype: DType) -> Tensor {
        Torch.call("aten::to.dtype", self, dtype).tensor()
    }

    /// This tensor on `device` (CPU only in this build).
    public func to(_ device: Device) -> Tensor { self }

    /// A copy that shares no storage with this tensor.
    public func clone() -> Tensor { Torch.call("aten::clone", self).tensor() }

    /// The same data, cut off from the autograd graph.
    public func detached() -> Tensor { Torch.call("aten::detach", self).tensor() }
}
