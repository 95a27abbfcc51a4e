import Foundation
import Testing
import Torch

private typealias F = Functional

/// Losses against hand-computed values.
@Suite struct LossTests {
    /// Two samples with logits (1, 2, 3): −log softmax = (2.4076…, 1.4076…, 0.4076…).
    let logits = try! Tensor([1, 2, 3, 1, 2, 3] as [Double], shape: [2, 3])
    let negativeLogSoftmax = [2.40760596444438, 1.4076059644443801, 0.4076059644443803]

    @Test func crossEntropyReductions() {
        let target = Tensor([2, 0] as [Int64])
        let perSample = [negativeLogSoftmax[2], negativeLogSoftmax[0]]
        #expect(isClose(F.crossEntropy(logits, target: target, reduction: .none).doubles, perSample, tolerance: 1e-12))
        #expect(isClose(F.crossEntropy(logits, target: target, reduction: .sum).doubles, [perSample[0] + perSample[1]],
                        tolerance: 1e-12))
        #expect(isClose(F.crossEntropy(logits, target: target).doubles, [(perSample[0] + perSample[1]) / 2],
                        tolerance: 1e-12))
    }

    @Test func crossEntropyClassWeightsGiveAWeightedMean() {
        let target = Tensor([2, 0] as [Int64])
        let weight = Tensor([1, 1, 3] as [Double])
        let expected = (3 * negativeLogSoftmax[2] + negativeLogSoftmax[0]) / 4
        #expect(isClose(F.crossEntropy(logits, target: target, weight: weight).doubles, [expected], tolerance: 1e-12))
    }

    @Test func crossEntropyIgnoreIndexAndLabelSmoothing() {
        let ignored = F.crossEntropy(logits, target: Tensor([2, -100] as [Int64]))
        #expect(isClose(ignored.doubles, [negativeLogSoftmax[2]], tolerance: 1e-12))
        // (1 − ε) · NLL + ε / C · Σ −log p.
        let smoothed = F.crossEntropy(logits[0..<1], target: Tensor([2] as [Int64]), labelSmoothing: 0.1)
        let expected = 0.9 * negativeLogSoftmax[2] + 0.1 / 3 * negativeLogSoftmax.reduce(0, +)
        #expect(isClose(smoothed.doubles, [expected], tolerance: 1e-12))
    }

    @Test func crossEntropyWithProbabilityTargets() {
        let target = try! Tensor([0.5, 0, 0.5] as [Double], shape: [1, 3])
        let expected = 0.5 * negativeLogSoftmax[0] + 0.5 * negativeLogSoftmax[2]
        #expect(isClose(F.crossEntropy(logits[0..<1], target: target).doubles, [expected], tolerance: 1e-12))
    }

    @Test func nllLoss() {
        let logProbabilities = try! Tensor([-1, -2, -3, -4] as [Double], shape: [2, 2])
        #expect(F.nllLoss(logProbabilities, target: Tensor([1, 0] as [Int64])).doubles == [2.5])
        #expect(F.nllLoss(logProbabilities, target: Tensor([1, 0] as [Int64]), reduction: .none).doubles == [2, 3])
    }

    @Test func klDivergenceReductions() {
        // KL((½, ½) ‖ (¼, ¾)) = ½ log 2 + ½ log ⅔ per sample; two identical samples.
        let perSample = 0.5 * Foundation.log(2.0) + 0.5 * Foundation.log(2.0 / 3)
        let logQ = try! Tensor([0.25, 0.75, 0.25, 0.75] as [Double], shape: [2, 2]).log()
        let p = Tensor.full([2, 2], 0.5, dtype: .float64)
        #expect(isClose(F.klDivergence(logQ, target: p).doubles, [perSample], tolerance: 1e-12))
        #expect(isClose(F.klDivergence(logQ, target: p, reduction: .sum).doubles, [2 * perSample], tolerance: 1e-12))
        #expect(isClose(F.klDivergence(logQ, target: p, reduction: .mean).doubles, [perSample / 2], tolerance: 1e-12))
        #expect(F.klDivergence(logQ, target: p, reduction: .none).shape == [2, 2])
        #expect(isClose(F.klDivergence(logQ, target: p.log(), logTarget: true).doubles, [perSample], tolerance: 1e-12))
    }

    @Test func regressionLosses() {
        let input = Tensor([1, 2] as [Double])
        let target = Tensor([3, 5] as [Double])
        #expect(F.mseLoss(input, target: target).item == 6.5)
        #expect(F.mseLoss(input, target: target, reduction: .sum).item == 13)
        #expect(F.l1Loss(input, target: target).item == 2.5)
        #expect(F.l1Loss(input, target: target, reduction: .none).doubles == [2, 3])
        let near = Tensor([1.5, 5] as [Double])
        // |d| = 0.5 and 3. Against beta 1: ½ · 0.5² and 3 − ½; against beta 4: ½ · d² / 4 for both;
        // Huber with delta 2: ½ · 0.5² and 2 · (3 − 1).
        #expect(F.smoothL1Loss(input, target: near, reduction: .none).doubles == [0.125, 2.5])
        #expect(F.smoothL1Loss(input, target: near, beta: 4, reduction: .none).doubles == [0.03125, 1.125])
        #expect(F.huberLoss(input, target: near, delta: 2, reduction: .none).doubles == [0.125, 4])
    }

    @Test func binaryCrossEntropy() {
        let logits = Tensor([0, 2] as [Double])
        let target = Tensor([1, 0] as [Double])
        let terms = [Foundation.log(2.0), Foundation.log(1 + Foundation.exp(2.0))]
        #expect(isClose(F.binaryCrossEntropyWithLogits(logits, target: target, reduction: .none).doubles, terms,
                        tolerance: 1e-12))
        let weighted = F.binaryCrossEntropyWithLogits(logits, target: target, positiveWeight: Tensor([3] as [Double]),
                                                      reduction: .sum)
        #expect(isClose(weighted.doubles, [3 * terms[0] + terms[1]], tolerance: 1e-12))
        let probabilities = F.sigmoid(logits)
        #expect(isClose(F.binaryCrossEntropy(probabilities, target: target, reduction: .none).doubles, terms,
                        tolerance: 1e-12))
        // Stable where the naive formula overflows.
        let saturated = F.binaryCrossEntropyWithLogits(Tensor([-1000] as [Double]), target: Tensor([1] as [Double]))
        #expect(saturated.item == 1000)
    }

    @Test func reductionCodesMatchATen() {
        #expect(Reduction.allCases.map(\.rawValue) == [0, 1, 2])
    }
}
