import Testing
import Torch

private typealias F = Functional

/// Batch, layer, group and instance normalization against hand-computed values.
@Suite struct NormalizationTests {
    /// One channel, batch of four: mean 2.5, biased variance 1.25, unbiased 5/3.
    let batch = try! Tensor([1, 2, 3, 4] as [Double], shape: [4, 1])

    @Test func batchNormTrainingUpdatesRunningStatistics() {
        let runningMean = Tensor.zeros([1], dtype: .float64)
        let runningVar = Tensor.ones([1], dtype: .float64)
        let y = F.batchNorm(batch, runningMean: runningMean, runningVar: runningVar, weight: nil, bias: nil,
                            training: true)
        let scale = (1.25 + 1e-5).squareRoot()
        #expect(isClose(y.doubles, [-1.5, -0.5, 0.5, 1.5].map { $0 / scale }, tolerance: 1e-12))
        #expect(isClose(runningMean.doubles, [0.25], tolerance: 1e-12))
        #expect(isClose(runningVar.doubles, [0.9 + 0.1 * 5 / 3], tolerance: 1e-12))
    }

    @Test func batchNormEvaluationUsesRunningStatistics() {
        let runningMean = Tensor([0.25] as [Double])
        let runningVar = Tensor([4] as [Double])
        let y = F.batchNorm(batch, runningMean: runningMean, runningVar: runningVar,
                            weight: Tensor([2] as [Double]), bias: Tensor([1] as [Double]), training: false, eps: 0)
        #expect(isClose(y.doubles, [1.75, 2.75, 3.75, 4.75], tolerance: 1e-12))
        #expect(runningMean.doubles == [0.25])
    }

    @Test func layerNorm() {
        let x = try! Tensor([1, 2, 3, 2, 2, 2] as [Double], shape: [2, 3])
        let scale = (2.0 / 3 + 1e-5).squareRoot()
        let y = F.layerNorm(x, normalizedShape: [3], weight: Tensor([1, 1, 2] as [Double]),
                            bias: Tensor([0, 1, 0] as [Double]))
        #expect(isClose(y.doubles, [-1 / scale, 1, 2 / scale, 0, 1, 0], tolerance: 1e-12))
    }

    /// Channels [1, 3] and [5, 7] of one sample.
    let image = try! Tensor([1, 3, 5, 7] as [Double], shape: [1, 2, 1, 2])

    @Test func groupNorm() {
        let oneGroup = F.groupNorm(image, groups: 1, weight: nil, bias: nil, eps: 0)
        #expect(isClose(oneGroup.doubles, [-3, -1, 1, 3].map { $0 / Double(5).squareRoot() }, tolerance: 1e-12))
        let perChannel = F.groupNorm(image, groups: 2, weight: Tensor([1, 3] as [Double]),
                                     bias: Tensor([0, 10] as [Double]), eps: 0)
        #expect(isClose(perChannel.doubles, [-1, 1, 7, 13], tolerance: 1e-12))
    }

    @Test func instanceNorm() {
        #expect(isClose(F.instanceNorm(image, eps: 0).doubles, [-1, 1, -1, 1], tolerance: 1e-12))
    }
}
