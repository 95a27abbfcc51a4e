import Foundation
import Testing

@testable import Torch

@Suite struct LayerTests {
    @Test func linearMatchesHandComputedValues() throws {
        let layer = Linear(3, 2)
        try assign(layer.weight, [1, 2, 3, 4, 5, 6])
        try assign(layer.bias, [0.5, -1])
        let x = try Tensor([1, 0, -1, 2, 1, 0] as [Float], shape: [2, 3])
        let y = layer(x)
        #expect(y.shape == [2, 2])
        // [1·1 + 2·0 + 3·(−1) + 0.5, 4·1 + 5·0 + 6·(−1) − 1, 2 + 2 + 0.5, 8 + 5 − 1]
        #expect(y.array(of: Float.self) == [-1.5, -3, 4.5, 12])
    }

    @Test func conv2dMatchesHandComputedValues() throws {
        let conv = Conv2d(1, 1, kernelSize: 2)
        try assign(conv.weight, [1, 2, 3, 4])
        try assign(conv.bias, [0.5])
        let x = try Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
        // Window at (0, 0): 1·1 + 2·2 + 3·4 + 4·5 = 37, and so on.
        #expect(conv(x).shape == [1, 1, 2, 2])
        #expect(conv(x).array(of: Float.self) == [37.5, 47.5, 67.5, 77.5])

        let padded = Conv2d(1, 1, kernelSize: 2, stride: 2, padding: 1)
        try assign(padded.weight, [1, 2, 3, 4])
        try assign(padded.bias, [0.5])
        // Windows start at −1 and 1 in each direction; zeros outside the input.
        // (0,0): 4·x00 = 4; (0,1): 3·x01 + 4·x02 = 18; (1,0): 2·x10 + 4·x20 = 36; (1,1): 77.
        #expect(padded(x).array(of: Float.self) == [4.5, 18.5, 36.5, 77.5])
    }

    @Test func conv2dGroupsAndDilationShapeTheOutput() {
        let depthwise = Conv2d(4, 4, kernelSize: 3, dilation: 2, groups: 4, bias: false)
        #expect(depthwise.weight.shape == [4, 1, 3, 3])
        #expect(depthwise(Tensor.randn([2, 4, 9, 9])).shape == [2, 4, 5, 5])
        let asymmetric = Conv2d(2, 3, kernelSize: [1, 3], stride: [1, 2])
        #expect(asymmetric(Tensor.randn([1, 2, 4, 7])).shape == [1, 3, 4, 3])
    }

    @Test func convTranspose2dStampsTheKernel() throws {
        let deconv = ConvTranspose2d(1, 1, kernelSize: 2, stride: 2, bias: false)
        try assign(deconv.weight, [1, 2, 3, 4])
        let x = try Tensor([1, 2] as [Float], shape: [1, 1, 1, 2])
        let y = deconv(x)
        #expect(y.shape == [1, 1, 2, 4])
        #expect(y.array(of: Float.self) == [1, 2, 2, 4, 3, 4, 6, 8])

        let upsampler = ConvTranspose2d(4, 6, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, groups: 2)
        #expect(upsampler.weight.shape == [4, 3, 3, 3])
        #expect(upsampler(Tensor.randn([1, 4, 5, 5])).shape == [1, 6, 10, 10])
    }

    @Test func batchNormTrainingUsesBatchStatisticsAndUpdatesRunningOnes() throws {
        let norm = BatchNorm1d(2)
        try assign(norm.weight, [2, 0.5])
        try assign(norm.bias, [1, -1])
        // Channel 0: 1, 3 (mean 2, biased variance 1, unbiased 2); channel 1: 10, 20 (15, 25, 50).
        let x = try Tensor([1, 10, 3, 20] as [Float], shape: [2, 2])
        let y = norm(x).array(of: Float.self)
        let eps = 1e-5
        let expected = [
            2 * (-1 / (1 + eps).squareRoot()) + 1, 0.5 * (-5 / (25 + eps).squareRoot()) - 1,
            2 * (1 / (1 + eps).squareRoot()) + 1, 0.5 * (5 / (25 + eps).squareRoot()) - 1,
        ].map(Float.init)
        #expect(isClose(y, expected))
        #expect(isClose(try #require(norm.runningMean).array(of: Float.self), [0.2, 1.5]))
        #expect(isClose(try #require(norm.runningVar).array(of: Float.self), [1.1, 5.9]))
        #expect(norm.numBatchesTracked?.array(of: Int64.self) == [1])

        // Evaluation normalizes with the running statistics and leaves them unchanged.
        norm.eval()
        let evaluated = norm(x).array(of: Float.self)
        let runningExpected = [
            2 * (1 - 0.2) / (1.1 + eps).squareRoot() + 1, 0.5 * (10 - 1.5) / (5.9 + eps).squareRoot() - 1,
            2 * (3 - 0.2) / (1.1 + eps).squareRoot() + 1, 0.5 * (20 - 1.5) / (5.9 + eps).squareRoot() - 1,
        ].map(Float.init)
        #expect(isClose(evaluated, runningExpected))
        #expect(isClose(try #require(norm.runningMean).array(of: Float.self), [0.2, 1.5]))
        #expect(norm.numBatchesTracked?.array(of: Int64.self) == [1])
    }

    @Test func batchNormWithoutMomentumAveragesAllBatches() throws {
        let norm = BatchNorm2d(1, momentum: nil)
        _ = norm(Tensor.full([2, 1, 2, 2], 4))
        _ = norm(Tensor.full([2, 1, 2, 2], 10))
        _ = norm(Tensor.full([2, 1, 2, 2], 1))
        #expect(isClose(try #require(norm.runningMean).array(of: Float.self), [5]))
        #expect(isClose(try #require(norm.runningVar).array(of: Float.self), [0]))
        #expect(norm.numBatchesTracked?.array(of: Int64.self) == [3])
    }

    @Test func batchNormWithoutRunningStatsAlwaysUsesTheBatch() throws {
        let norm = BatchNorm1d(1, affine: false, trackRunningStats: false).eval()
        let y = norm(try Tensor([1, 3] as [Float], shape: [2, 1])).array(of: Float.self)
        #expect(isClose(y, [-1, 1], tolerance: 1e-4))
    }

    @Test func batchNormRejectsWrongInputsThroughTorchErrors() {
        let error = #expect(throws: TorchError.self) { try withTorchErrors { BatchNorm2d(3)(Tensor.zeros([2, 3])) } }
        #expect(error?.message.contains("BatchNorm2d: expected a 4-D input, got shape [2, 3]") == true)
        let channels = #expect(throws: TorchError.self) {
            try withTorchErrors { BatchNorm1d(3)(Tensor.zeros([2, 4])) }
        }
        #expect(channels?.message.contains("expected 3 channels") == true)
        let single = #expect(throws: TorchError.self) { try withTorchErrors { BatchNorm1d(3)(Tensor.zeros([1, 3])) } }
        #expect(single?.message.contains("more than 1 value per channel") == true)
        #expect(BatchNorm1d(3).eval()(Tensor.zeros([1, 3])).shape == [1, 3])
    }

    @Test func layerAndGroupNormNormalize() throws {
        let layerNorm = LayerNorm(2)
        let y = layerNorm(try Tensor([1, 3, 10, 30] as [Float], shape: [2, 2])).array(of: Float.self)
        #expect(isClose(y, [-1, 1, -1, 1], tolerance: 1e-4))
        #expect(layerNorm.namedParameters().map(\.0) == ["weight", "bias"])

        let groupNorm = GroupNorm(groups: 2, channels: 4)
        try assign(groupNorm.weight, [1, 1, 3, 3])
        // Group 0 holds channels 0–1 (values 0, 2), group 1 channels 2–3 (values 5, 7).
        let x = try Tensor([0, 2, 5, 7] as [Float], shape: [1, 4, 1, 1])
        #expect(isClose(groupNorm(x).array(of: Float.self), [-1, 1, -3, 3], tolerance: 1e-4))
    }

    @Test func preluUsesOneSlopePerChannel() throws {
        let prelu = PReLU(2)
        #expect(prelu.weight.array(of: Float.self) == [0.25, 0.25])
        try assign(prelu.weight, [0.1, 0.5])
        let x = try Tensor([-2, 3, -4, 5] as [Float], shape: [1, 2, 2, 1])
        #expect(isClose(prelu(x).array(of: Float.self), [-0.2, 3, -2, 5]))
    }

    @Test func dropoutDependsOnTheMode() {
        let dropout = Dropout(0.5)
        let x = Tensor.ones([1000])
        let trained = dropout(x).array(of: Float.self)
        #expect(trained.allSatisfy { $0 == 0 || $0 == 2 })
        #expect((300...700).contains(trained.filter { $0 == 0 }.count))
        dropout.eval()
        #expect(dropout(x).array(of: Float.self) == x.array(of: Float.self))
    }

    @Test func embeddingLooksUpRowsAndKeepsThePaddingRowZero() throws {
        let embedding = Embedding(5, 3, paddingIndex: 0)
        #expect(embedding.weight.shape == [5, 3])
        let indices = try Tensor([0, 2, 2, 4] as [Int64], shape: [2, 2])
        let vectors = embedding(indices)
        #expect(vectors.shape == [2, 2, 3])
        let rows = embedding.weight.array(of: Float.self)
        #expect(Array(rows[0..<3]) == [0, 0, 0])
        #expect(Array(vectors.array(of: Float.self)[3..<6]) == Array(rows[6..<9]))
        vectors.sum().backward()
        let gradient = try #require(embedding.weight.grad).array(of: Float.self)
        #expect(Array(gradient[0..<3]) == [0, 0, 0])
        #expect(Array(gradient[6..<9]) == [2, 2, 2])
    }

    @Test func multiheadAttentionHonoursTheMask() throws {
        let attention = MultiheadAttention(embedDim: 4, heads: 2)
        let query = Tensor.randn([2, 3, 4])
        let keys = Tensor.randn([2, 5, 4])
        #expect(attention(query).shape == [2, 3, 4])
        #expect(attention(query: query, key: keys, value: keys).shape == [2, 3, 4])

        // Allowing only key 0, every query's output is the output projection of value 0's projection.
        let allowed = try Tensor([true, false, false, false, false], shape: [1, 1, 1, 5])
        let masked = attention(query: query, key: keys, value: keys, mask: allowed)
        let valueWeight = attention.inProjWeight.reshaped([3, 4, 4]).unsqueezed(0)
        let valueBias = try #require(attention.inProjBias).reshaped([3, 4])
        let firstValue = Torch.call("aten::select.int", keys, 1, 0).tensor()  // [2, 4]
        let projected = Functional.linear(
            firstValue, weight: Torch.call("aten::select.int", valueWeight, 1, 2).tensor().squeezed(0),
            bias: Torch.call("aten::select.int", valueBias, 0, 2).tensor())
        let expected = attention.outProj(projected).unsqueezed(1).expanded([2, 3, 4])
        #expect(isClose(masked.array(of: Float.self), expected.contiguous().array(of: Float.self), tolerance: 1e-5))
    }

    @Test func sequentialChainsLayersAndNamesThemByIndex() throws {
        let model = Sequential(Linear(2, 3), ReLU(), Identity(), Flatten(), Linear(3, 1))
        #expect(model.count == 5)
        #expect(model.namedParameters().map(\.0) == ["0.weight", "0.bias", "4.weight", "4.bias"])
        let x = Tensor.randn([4, 2])
        let manual = (model[4] as! Linear)(Functional.relu((model[0] as! Linear)(x)))
        #expect(model(x).array(of: Float.self) == manual.array(of: Float.self))
        #expect(Flatten()(Tensor.zeros([2, 3, 4, 5])).shape == [2, 60])
    }
}
