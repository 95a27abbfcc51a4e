/// Multi-head scaled dot-product attention over batch-first sequences (`torch.nn.MultiheadAttention` with
/// `batch_first=True`).
///
/// Query, key and value are projected by the rows of `inProjWeight` (query rows first, then key, then value),
/// split into `heads` heads of `embedDim / heads` elements, attended with
/// ``Functional/scaledDotProductAttention(query:key:value:mask:dropout:training:)`` and recombined by `outProj`.
/// State-dict keys match PyTorch's: `in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`.
public final class MultiheadAttention: Module {
    /// Size of each token's embedding.
    public let embedDim: Int
    /// Number of attention heads; divides `embedDim`.
    public let heads: Int
    /// Probability of dropping an attention weight in training mode.
    public let dropout: Double
    /// Stacked query, key and value projections, `[3 · embedDim, embedDim]` (Xavier uniform at first).
    public let inProjWeight: Tensor
    /// Stacked projection biases, `[3 · embedDim]` (zeros at first), or nil.
    public let inProjBias: Tensor?
    /// The output projection (bias zero at first).
    public let outProj: Linear

    /// Attention over `embedDim`-element tokens with `heads` heads.
    public init(embedDim: Int, heads: Int, dropout: Double = 0, bias: Bool = true) {
        precondition(heads > 0 && embedDim % heads == 0,
                     "MultiheadAttention: embedDim (\(embedDim)) must be divisible by heads (\(heads))")
        self.embedDim = embedDim
        self.heads = heads
        self.dropout = dropout
        inProjWeight = Initializers.xavierUniform(makeParameter([3 * embedDim, embedDim]))
        inProjBias = bias ? makeParameter([3 * embedDim]) : nil
        outProj = Linear(embedDim, embedDim, bias: bias)
        super.init()
        if let outBias = outProj.bias { Initializers.zeros(outBias) }
    }

    /// Maps the properties to PyTorch's names.
    public override var stateKeyNames: [String: String] {
        super.stateKeyNames.merging(
            ["inProjWeight": "in_proj_weight", "inProjBias": "in_proj_bias", "outProj": "out_proj"]) { $1 }
    }

    /// Self-attention: `input` `[N, L, embedDim]` attends to itself.
    public override func forward(_ input: Tensor) -> Tensor {
        self(query: input, key: input, value: input)
    }

    /// Attention of `query` `[N, L, embedDim]` over `key` and `value` `[N, S, embedDim]`; returns
    /// `[N, L, embedDim]`.
    ///
    /// - Parameter mask: broadcastable to `[N, heads, L, S]`. As in ``Functional``, a boolean mask is **true
    ///   where attention is allowed** (the opposite of `nn.MultiheadAttention`'s `attn_mask`); a floating-point
    ///   mask is added to the scores.
    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) -> Tensor {
        guard query.rank == 3, key.rank == 3, value.rank == 3, query.size(-1) == embedDim,
            key.size(-1) == embedDim, value.size(-1) == embedDim
        else {
            return invalidInput("expected [batch, length, \(embedDim)] inputs, got query \(query.shape), "
                + "key \(key.shape), value \(value.shape)")
        }
        let weights = Torch.call("aten::chunk", inProjWeight, 3, 0).tensors()
        let biases: [Tensor?] = inProjBias.map { Torch.call("aten::chunk", $0, 3, 0).tensors() } ?? [nil, nil, nil]
        let headSize = embedDim / heads
        func splitHeads(_ x: Tensor, _ index: Int) -> Tensor {
            let projected = Functional.linear(x, weight: weights[index], bias: biases[index])
            return projected.reshaped([x.size(0), x.size(1), heads, headSize]).transposed(1, 2)
        }
        let attended = Functional.scaledDotProductAttention(
            query: splitHeads(query, 0), key: splitHeads(key, 1), value: splitHeads(value, 2), mask: mask,
            dropout: dropout, training: isTraining)
        let merged = attended.transposed(1, 2).reshaped([query.size(0), query.size(1), embedDim])
        return outProj(merged)
    }
}
