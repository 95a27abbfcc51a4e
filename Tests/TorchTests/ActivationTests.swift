import Foundation
import Testing
import Torch

private typealias F = Functional

/// Activations, dropout and embeddings against hand-computed values.
@Suite struct ActivationTests {
    @Test func rectifiers() {
        #expect(F.relu(Tensor([-1, 0, 2] as [Double])).doubles == [0, 0, 2])
        #expect(F.relu6(Tensor([-1, 3, 7] as [Double])).doubles == [0, 3, 6])
        #expect(isClose(F.leakyRelu(Tensor([-2, 3] as [Double]), negativeSlope: 0.1).doubles, [-0.2, 3]))
        #expect(F.prelu(Tensor([-4, 2] as [Double]), weight: Tensor([0.25] as [Double])).doubles == [-1, 2])
        let channels = try! Tensor([-1, -1, -1, -1] as [Double], shape: [1, 2, 2])
        #expect(F.prelu(channels, weight: Tensor([0.5, 2] as [Double])).doubles == [-0.5, -0.5, -2, -2])
        #expect(isClose(F.elu(Tensor([-1, 2] as [Double])).doubles, [Foundation.exp(-1.0) - 1, 2], tolerance: 1e-12))
    }

    @Test func smoothActivations() {
        let one = Tensor([1] as [Double])
        // GELU(1) = Φ(1); tanh form ½(1 + tanh(√(2/π)(1 + 0.044715))).
        #expect(Swift.abs(F.gelu(one).item - 0.8413447460685429) < 1e-12)
        #expect(Swift.abs(F.gelu(one, approximation: .tanh).item - 0.8411919906082768) < 1e-12)
        #expect(Swift.abs(F.silu(one).item - 1 / (1 + Foundation.exp(-1.0))) < 1e-12)
        #expect(Swift.abs(F.softplus(Tensor([0] as [Double])).item - Foundation.log(2.0)) < 1e-12)
        #expect(Swift.abs(F.softplus(one, beta: 2).item - 1.0634640055214861) < 1e-12)
        #expect(F.softplus(Tensor([30] as [Double])).item == 30)
        #expect(F.sigmoid(Tensor([0] as [Double])).item == 0.5)
        #expect(Swift.abs(F.tanh(one).item - Foundation.tanh(1.0)) < 1e-12)
    }

    @Test func softmaxAndLogSoftmax() {
        let logits = try! Tensor([1, 2, 3, 1, 1, 1] as [Double], shape: [2, 3])
        let expected = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3]
        #expect(isClose(F.softmax(logits, dim: 1).doubles, expected, tolerance: 1e-12))
        #expect(isClose(F.logSoftmax(logits, dim: 1).doubles, expected.map { Foundation.log($0) }, tolerance: 1e-12))
        #expect(isClose(F.softmax(logits, dim: 0).sum(0).doubles, [1, 1, 1], tolerance: 1e-12))
    }

    @Test func dropoutScalesSurvivors() {
        let ones = Tensor.ones([10_000], dtype: .float64)
        #expect(F.dropout(ones, p: 0.5, training: false).doubles.allSatisfy { $0 == 1 })
        let dropped = F.dropout(ones, p: 0.5, training: true).doubles
        #expect(dropped.allSatisfy { $0 == 0 || $0 == 2 })
        let zeros = dropped.count(where: { $0 == 0 })
        #expect(zeros > 4_500 && zeros < 5_500)
    }

    @Test func embeddingAndOneHot() {
        let weight = try! Tensor([0, 1, 10, 11, 20, 21] as [Double], shape: [3, 2])
        let indices = try! Tensor([2, 0, 2, 1] as [Int64], shape: [2, 2])
        let embedded = F.embedding(indices, weight: weight)
        #expect(embedded.shape == [2, 2, 2])
        #expect(embedded.doubles == [20, 21, 0, 1, 20, 21, 10, 11])
        let hot = F.oneHot(Tensor([0, 2] as [Int64]), classes: 4)
        #expect(hot.dtype == .int64)
        #expect(hot.array(of: Int64.self) == [1, 0, 0, 0, 0, 0, 1, 0])
        #expect(F.oneHot(Tensor([1, 2] as [Int64])).shape == [2, 3])
    }
}
