/// One component of a subscript on a ``Tensor``: `x[0]`, `x[1..<3, .all, 2]`, `x[.ellipsis, .newAxis]`,
/// `x[mask]`, `x[indices]`.
///
/// Integers, ranges, strides and tensors convert to components implicitly; the special components are written
/// `.all`, `.ellipsis`, `.newAxis` and `.slice(start:end:step:)`.
public struct TensorIndex {
    fileprivate enum Kind {
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int)
        case all
        case ellipsis
        case newAxis
        case tensor(Tensor)
    }

    fileprivate let kind: Kind

    /// How many dimensions of the indexed tensor this component consumes.
    fileprivate var consumedDimensions: Int {
        switch kind {
        case .index, .slice, .all: 1
        case .ellipsis, .newAxis: 0
        case .tensor(let tensor): tensor.dtype == .bool ? tensor.rank : 1
        }
    }
}

/// Types that can appear in a ``Tensor`` subscript.
public protocol TensorIndexConvertible {
    /// This value as a subscript component.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { self }
}

// Declared on the protocol so that a leading dot works inside the variadic subscript: `x[.ellipsis, 0]`.
extension TensorIndexConvertible where Self == TensorIndex {
    /// Picks one position along the dimension and removes it (negative counts from the end).
    public static func index(_ position: Int) -> TensorIndex { TensorIndex(kind: .index(position)) }
    /// Keeps positions `start ..< end` every `step`-th (nil: from the beginning / to the end; negative
    /// positions count from the end).
    public static func slice(start: Int? = nil, end: Int? = nil, step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .slice(start: start, end: end, step: step))
    }
    /// Keeps the whole dimension (Python's `:`).
    public static var all: TensorIndex { TensorIndex(kind: .all) }
    /// Stands for as many ``all`` as needed to account for the remaining dimensions (Python's `...`).
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }
    /// Inserts a dimension of size 1 (Python's `None`).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
    /// Advanced indexing by an integer tensor of positions or a boolean mask over the next dimensions.
    public static func tensor(_ tensor: Tensor) -> TensorIndex { TensorIndex(kind: .tensor(tensor)) }
}

extension Int: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .index(self) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound, step: 1) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound + 1, step: 1) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: nil, step: 1) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound, step: 1) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex {
        // `...(-1)` means "through the last element", which as an exclusive end is "to the end".
        .slice(start: nil, end: upperBound == -1 ? nil : upperBound + 1, step: 1)
    }
}

extension StrideTo: TensorIndexConvertible where Element == Int {
    /// `stride(from: 0, to: 10, by: 2)` keeps every second position of `0 ..< 10`.
    public var tensorIndex: TensorIndex {
        var iterator = makeIterator()
        let first = iterator.next()
        let second = iterator.next()
        let step = first.flatMap { first in second.map { $0 - first } } ?? 1
        let end = Array(self).last.map { $0 + 1 }
        return .slice(start: first ?? 0, end: end ?? first ?? 0, step: Swift.max(step, 1))
    }
}

extension Tensor: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .tensor(self) }
}

extension Tensor {
    /// NumPy-style indexing: integers select, ranges slice (views sharing storage), ``TensorIndex/newAxis`` and
    /// ``TensorIndex/ellipsis`` work as in Python, and integer or boolean tensors index by position or mask
    /// (copies, through `aten::index.Tensor`).
    ///
    /// Setting copies the new value (broadcast) into the indexed positions of this tensor's storage, in place.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        get { indexed(indices.map(\.tensorIndex)) }
        nonmutating set { assign(newValue, at: indices.map(\.tensorIndex)) }
    }

    /// The positions named by `indices`; see the variadic subscript.
    public func indexed(_ indices: [TensorIndex]) -> Tensor {
        let (view, advanced) = basicIndexed(indices)
        guard advanced.contains(where: { $0 != nil }) else { return view }
        return view.index(with: advanced)
    }

    /// Writes `value` (broadcast, converted to this dtype) into the positions named by `indices`, in place.
    public func assign(_ value: Tensor, at indices: [TensorIndex]) {
        let (view, advanced) = basicIndexed(indices)
        if advanced.contains(where: { $0 != nil }) {
            view.indexPut_(advanced, values: value.dtype == dtype ? value : value.to(dtype))
        } else {
            view.copy_(value)
        }
    }

    /// Writes `value` into the positions named by `indices`, in place.
    public func assign(_ value: Double, at indices: [TensorIndex]) {
        assign(Tensor(scalar: value).to(dtype), at: indices)
    }

    /// Applies the basic (view-producing) components and collects the tensor components, by the dimension of
    /// the view they apply to, for a following advanced-indexing call.
    private func basicIndexed(_ indices: [TensorIndex]) -> (view: Tensor, advanced: [Tensor?]) {
        let consumed = indices.reduce(0) { $0 + $1.consumedDimensions }
        let ellipses = indices.count(where: { if case .ellipsis = $0.kind { true } else { false } })
        if ellipses > 1 || consumed > rank {
            ErrorScope.report(TorchError(
                "index with \(consumed) dimensions and \(ellipses) ellipses does not fit a tensor of shape \(shape)"))
            return (Tensor.undefined, [])
        }
        var result = self
        var advanced: [Tensor?] = []
        var dimension = 0
        for index in indices {
            switch index.kind {
            case .index(let position):
                result = result.select(dimension, position)
            case .slice(let start, let end, let step):
                result = Torch.call("aten::slice.Tensor", result, dimension, start, end, step).tensor()
                advanced.append(nil)
                dimension += 1
            case .all:
                advanced.append(nil)
                dimension += 1
            case .ellipsis:
                let skipped = rank - consumed
                advanced.append(contentsOf: Array(repeating: nil, count: skipped))
                dimension += skipped
            case .newAxis:
                result = result.unsqueezed(dimension)
                advanced.append(nil)
                dimension += 1
            case .tensor(let tensor):
                advanced.append(tensor)
                dimension += index.consumedDimensions
            }
        }
        return (result, advanced)
    }

    /// The slice at `index` along `dim`, with that dimension removed (a view).
    public func select(_ dim: Int, _ index: Int) -> Tensor {
        Torch.call("aten::select.int", self, dim, index).tensor()
    }

    /// The `length` positions from `start` along `dim` (a view).
    public func narrow(_ dim: Int, start: Int, length: Int) -> Tensor {
        Torch.call("aten::narrow", self, dim, start, length).tensor()
    }

    /// Advanced indexing (`aten::index.Tensor`): entry `i` indexes dimension `i` by an integer or boolean tensor,
    /// or keeps it whole when nil. As in NumPy, the index tensors broadcast together.
    public func index(with indices: [Tensor?]) -> Tensor {
        Torch.call("aten::index.Tensor", self, Argument.optionalTensors(indices)).tensor()
    }

    /// A copy of this tensor with `values` written (or, with `accumulate`, added) at the positions that
    /// ``index(with:)`` would read.
    public func indexPut(_ indices: [Tensor?], values: Tensor, accumulate: Bool = false) -> Tensor {
        Torch.call("aten::index_put", self, Argument.optionalTensors(indices), values, accumulate).tensor()
    }

    /// Writes (or, with `accumulate`, adds) `values` in place at the positions that ``index(with:)`` would read.
    @discardableResult
    public func indexPut_(_ indices: [Tensor?], values: Tensor, accumulate: Bool = false) -> Tensor {
        Torch.call("aten::index_put_", self, Argument.optionalTensors(indices), values, accumulate)
        return self
    }

    /// The entries at the integer positions `index` along `dim`.
    public func indexSelect(_ dim: Int, _ index: Tensor) -> Tensor {
        Torch.call("aten::index_select", self, dim, index).tensor()
    }

    /// `result[i][j] = self[i][index[i][j]]` for `dim` 1 (and likewise for other dimensions).
    public func gather(_ dim: Int, _ index: Tensor) -> Tensor {
        Torch.call("aten::gather", self, dim, index).tensor()
    }

    /// A copy with `source` written at `index` along `dim`: `result[i][index[i][j]] = source[i][j]` for `dim` 1.
    public func scatter(_ dim: Int, _ index: Tensor, _ source: Tensor) -> Tensor {
        Torch.call("aten::scatter.src", self, dim, index, source).tensor()
    }

    /// A copy with `value` written at `index` along `dim`.
    public func scatter(_ dim: Int, _ index: Tensor, value: Double) -> Tensor {
        Torch.call("aten::scatter.value", self, dim, index, value).tensor()
    }

    /// A copy with `source` added at `index` along `dim` (repeated indices accumulate).
    public func scatterAdd(_ dim: Int, _ index: Tensor, _ source: Tensor) -> Tensor {
        Torch.call("aten::scatter_add", self, dim, index, source).tensor()
    }

    /// The elements where the boolean `mask` (broadcast to this shape) is true, as a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        Torch.call("aten::masked_select", self, mask).tensor()
    }
}

extension Tensor {
    /// Pieces of `size` along `dim` (the last may be smaller); views.
    public func split(size: Int, dim: Int = 0) -> [Tensor] {
        Torch.call("aten::split.Tensor", self, size, dim).tensors()
    }

    /// Pieces of the given `sizes` (which must add up to the dimension) along `dim`; views.
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        Torch.call("aten::split_with_sizes", self, sizes, dim).tensors()
    }

    /// At most `chunks` pieces of equal size (the last may be smaller) along `dim`; views.
    public func chunked(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        Torch.call("aten::chunk", self, chunks, dim).tensors()
    }

    /// The slices along `dim`, with that dimension removed; views.
    public func unbind(_ dim: Int = 0) -> [Tensor] {
        Torch.call("aten::unbind.int", self, dim).tensors()
    }
}
