/// Sorting and selection of the largest or smallest elements.
extension Tensor {
    /// The `k` largest (or, with `largest: false`, smallest) elements along `dim` and their indices, in sorted
    /// order.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
        let results = Torch.call("aten::topk", self, k, dim, largest, true)
        return (results.tensor(0), results.tensor(1))
    }

    /// The elements sorted along `dim` and the indices that sort them. The sort is stable: equal elements keep
    /// their order.
    public func sorted(dim: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor) {
        let results = Torch.call("aten::sort.stable", self, kw("stable", true), kw("dim", dim),
                                 kw("descending", descending))
        return (results.tensor(0), results.tensor(1))
    }

    /// The indices that sort the elements along `dim` (stable).
    public func argsort(dim: Int = -1, descending: Bool = false) -> Tensor {
        sorted(dim: dim, descending: descending).indices
    }
}
