/// A lookup table of `count` learned vectors of `dimension` elements (`torch.nn.Embedding`).
///
/// State: `weight` `[count, dimension]` from N(0, 1), with the `paddingIndex` row (if any) zero; that row
/// receives no gradient.
public final class Embedding: Module {
    /// Number of vectors.
    public let count: Int
    /// Elements per vector.
    public let dimension: Int
    /// The index whose vector stays zero and untrained, if any.
    public let paddingIndex: Int?
    /// `[count, dimension]`.
    public let weight: Tensor

    /// A table of `count` vectors of `dimension` elements.
    public init(_ count: Int, _ dimension: Int, paddingIndex: Int? = nil) {
        if let paddingIndex {
            precondition((-count..<count).contains(paddingIndex),
                         "Embedding: paddingIndex \(paddingIndex) is outside 0..<\(count)")
        }
        self.count = count
        self.dimension = dimension
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + count : $0 }
        weight = Initializers.normal(makeParameter([count, dimension]))
        super.init()
        if let row = self.paddingIndex {
            withoutGrad { _ = Torch.call("aten::select.int", weight, 0, row).tensor().zero_() }
        }
    }

    /// Integer `indices` of any shape → `indices.shape + [dimension]`.
    public override func forward(_ input: Tensor) -> Tensor {
        // aten::embedding's padding_idx keeps the padding row's gradient zero, as nn.Embedding does.
        Torch.call("aten::embedding", weight, input, paddingIndex ?? -1).tensor()
    }
}
