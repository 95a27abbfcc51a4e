import Testing
import Torch

private typealias F = Functional

/// Scaled dot-product attention against a hand computation and libtorch's reference implementation.
@Suite struct AttentionTests {
    let query = try! Tensor([1, 0] as [Double], shape: [1, 2])
    let key = try! Tensor([1, 0, 0, 1] as [Double], shape: [2, 2])
    let value = try! Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])

    @Test func handComputed() {
        // Scores (1, 0) / √2; the weight of the first key is sigmoid(1 / √2).
        let first = 0.6697615493266569
        let output = F.scaledDotProductAttention(query: query, key: key, value: value)
        #expect(isClose(output.doubles, [3 - 2 * first, 4 - 2 * first], tolerance: 1e-12))
    }

    @Test func masks() {
        let keepFirst = try! Tensor([true, false], shape: [1, 2])
        #expect(F.scaledDotProductAttention(query: query, key: key, value: value, mask: keepFirst).doubles == [1, 2])
        let additive = try! Tensor([0, -Double.infinity] as [Double], shape: [1, 2])
        #expect(F.scaledDotProductAttention(query: query, key: key, value: value, mask: additive).doubles == [1, 2])
    }

    @Test func matchesLibtorchReference() {
        var data = TestData(seed: 50)
        let q = data.tensor([2, 3, 4, 8])
        let k = data.tensor([2, 3, 5, 8])
        let v = data.tensor([2, 3, 5, 6])
        let mask = data.tensor([4, 5]) .> -0.5
        let reference = Torch.call("aten::_scaled_dot_product_attention", q, k, v, mask).tensor(0)
        let output = F.scaledDotProductAttention(query: q, key: k, value: v, mask: mask)
        #expect(output.shape == [2, 3, 4, 6])
        #expect(output.allClose(to: reference, relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
    }

    @Test func dropoutOnlyWhenTraining() {
        var data = TestData(seed: 51)
        let (q, k, v) = (data.tensor([1, 4, 8]), data.tensor([1, 6, 8]), data.tensor([1, 6, 8]))
        let plain = F.scaledDotProductAttention(query: q, key: k, value: v)
        #expect(F.scaledDotProductAttention(query: q, key: k, value: v, dropout: 0.5).isEqual(to: plain))
        let dropped = F.scaledDotProductAttention(query: q, key: k, value: v, dropout: 0.5, training: true)
        #expect(!dropped.isEqual(to: plain))
    }
}
