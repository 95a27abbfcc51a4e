import Testing
import Torch

/// One function to differentiate, with the inputs it is checked at.
struct GradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () -> (inputs: [Tensor], function: ([Tensor]) -> Tensor)

    var testDescription: String { name }

    init(_ name: String, _ make: @escaping @Sendable () -> (inputs: [Tensor], function: ([Tensor]) -> Tensor)) {
        self.name = name
        self.make = make
    }
}

private typealias F = Functional

/// Gradients of the functional ops against finite differences.
@Suite struct GradientCheckTests {
    static let cases: [GradientCase] = [
        GradientCase("conv2d, groups 2, stride 2, padding 1, dilation 2") {
            var data = TestData(seed: 1)
            return ([data.tensor([2, 4, 6, 6]), data.tensor([4, 2, 3, 3]), data.tensor([4])], { x in
                F.conv2d(x[0], weight: x[1], bias: x[2], stride: [2, 2], padding: [1, 1], dilation: [2, 2], groups: 2)
            })
        },
        GradientCase("conv2d, depthwise") {
            var data = TestData(seed: 2)
            return ([data.tensor([1, 3, 4, 4]), data.tensor([3, 1, 3, 3])], { x in
                F.conv2d(x[0], weight: x[1], bias: nil, padding: [1, 1], groups: 3)
            })
        },
        GradientCase("convTranspose2d, stride 2, output padding 1, groups 2") {
            var data = TestData(seed: 3)
            return ([data.tensor([1, 4, 3, 3]), data.tensor([4, 1, 3, 3]), data.tensor([2])], { x in
                F.convTranspose2d(x[0], weight: x[1], bias: x[2], stride: [2, 2], padding: [1, 1],
                                  outputPadding: [1, 1], groups: 2)
            })
        },
        GradientCase("batchNorm, training") {
            var data = TestData(seed: 4)
            return ([data.tensor([4, 3, 2, 2]), data.tensor([3], 0.5, 1.5), data.tensor([3])], { x in
                F.batchNorm(x[0], runningMean: nil, runningVar: nil, weight: x[1], bias: x[2], training: true)
            })
        },
        GradientCase("batchNorm, evaluation with running statistics") {
            var data = TestData(seed: 5)
            let mean = data.tensor([3])
            let variance = data.tensor([3], 0.5, 2)
            return ([data.tensor([2, 3, 2, 2]), data.tensor([3], 0.5, 1.5), data.tensor([3])], { x in
                F.batchNorm(x[0], runningMean: mean, runningVar: variance, weight: x[1], bias: x[2], training: false)
            })
        },
        GradientCase("layerNorm over the last two dimensions") {
            var data = TestData(seed: 6)
            return ([data.tensor([2, 3, 4]), data.tensor([3, 4], 0.5, 1.5), data.tensor([3, 4])], { x in
                F.layerNorm(x[0], normalizedShape: [3, 4], weight: x[1], bias: x[2])
            })
        },
        GradientCase("groupNorm, 2 groups") {
            var data = TestData(seed: 7)
            return ([data.tensor([2, 4, 2, 3]), data.tensor([4], 0.5, 1.5), data.tensor([4])], { x in
                F.groupNorm(x[0], groups: 2, weight: x[1], bias: x[2])
            })
        },
        GradientCase("instanceNorm") {
            var data = TestData(seed: 8)
            return ([data.tensor([2, 2, 3, 3])], { x in F.instanceNorm(x[0]) })
        },
        GradientCase("gridSample bilinear, zeros padding, input and grid") {
            var data = TestData(seed: 9)
            return ([data.tensor([1, 2, 4, 5]), data.tensor([1, 3, 3, 2], -0.9, 0.9)], { x in
                F.gridSample(x[0], grid: x[1])
            })
        },
        GradientCase("gridSample bilinear, reflection padding, aligned corners, outside the input") {
            var data = TestData(seed: 10)
            return ([data.tensor([1, 1, 4, 4]), data.tensor([1, 2, 3, 2], -1.4, 1.4)], { x in
                F.gridSample(x[0], grid: x[1], padding: .reflection, alignCorners: true)
            })
        },
        GradientCase("affineGrid then gridSample, border padding, gradient to theta") {
            // Chosen so that no sampling location lands exactly on a pixel centre, where bilinear sampling has a kink.
            var data = TestData(seed: 11)
            let image = data.tensor([1, 2, 5, 5])
            let theta = try! Tensor([1.15, 0.1, 0.03, -0.12, 0.8, -0.07], shape: [1, 2, 3])
            return ([theta], { x in
                F.gridSample(image, grid: F.affineGrid(x[0], size: [1, 2, 4, 4]), padding: .border)
            })
        },
        GradientCase("normalize, p = 2") {
            var data = TestData(seed: 12)
            return ([data.tensor([3, 5])], { x in F.normalize(x[0], dim: 1) })
        },
        GradientCase("crossEntropy, class weights and label smoothing") {
            var data = TestData(seed: 13)
            let target = data.indices([4], below: 5)
            let weight = data.tensor([5], 0.5, 2)
            return ([data.tensor([4, 5], -2, 2)], { x in
                F.crossEntropy(x[0], target: target, weight: weight, labelSmoothing: 0.1)
            })
        },
        GradientCase("crossEntropy, probability targets, sum") {
            var data = TestData(seed: 14)
            let target = F.softmax(data.tensor([3, 4]), dim: 1)
            return ([data.tensor([3, 4], -2, 2)], { x in F.crossEntropy(x[0], target: target, reduction: .sum) })
        },
        GradientCase("scaledDotProductAttention with a boolean mask") {
            var data = TestData(seed: 15)
            let mask = try! Tensor([true, true, false, true, false, true, true, true, false, true, true, false],
                                   shape: [3, 4])
            return ([data.tensor([2, 3, 5]), data.tensor([2, 4, 5]), data.tensor([2, 4, 2])], { x in
                F.scaledDotProductAttention(query: x[0], key: x[1], value: x[2], mask: mask)
            })
        },
        GradientCase("scaledDotProductAttention with an additive mask, batched heads") {
            var data = TestData(seed: 16)
            let mask = data.tensor([1, 1, 2, 3])
            return ([data.tensor([1, 2, 2, 4]), data.tensor([1, 2, 3, 4]), data.tensor([1, 2, 3, 4])], { x in
                F.scaledDotProductAttention(query: x[0], key: x[1], value: x[2], mask: mask)
            })
        },
        GradientCase("linear") {
            var data = TestData(seed: 17)
            return ([data.tensor([3, 4]), data.tensor([2, 4]), data.tensor([2])], { x in
                F.linear(x[0], weight: x[1], bias: x[2])
            })
        },
        GradientCase("prelu, per-channel slope") {
            var data = TestData(seed: 18)
            return ([data.tensor([2, 3, 2, 2]), data.tensor([3], 0.1, 0.4)], { x in F.prelu(x[0], weight: x[1]) })
        },
        GradientCase("gelu, silu, softplus, elu, logSoftmax") {
            var data = TestData(seed: 19)
            return ([data.tensor([3, 4], -3, 3)], { x in
                F.logSoftmax(F.gelu(x[0]) + F.silu(x[0]) + F.softplus(x[0], beta: 2) + F.elu(x[0])
                             + F.gelu(x[0], approximation: .tanh), dim: 1)
            })
        },
        GradientCase("maxPool2d and avgPool2d with padding") {
            var data = TestData(seed: 20)
            return ([data.tensor([1, 2, 5, 5])], { x in
                F.maxPool2d(x[0], kernelSize: [3, 3], stride: [2, 2], padding: [1, 1])
                    + F.avgPool2d(x[0], kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: false)
            })
        },
        GradientCase("adaptiveAvgPool2d to a size that does not divide the input") {
            var data = TestData(seed: 21)
            return ([data.tensor([1, 2, 5, 7])], { x in F.adaptiveAvgPool2d(x[0], outputSize: [3, 3]) })
        },
        GradientCase("interpolate bilinear (both corner conventions) and bicubic") {
            var data = TestData(seed: 22)
            return ([data.tensor([1, 1, 3, 4])], { x in
                F.interpolate(x[0], size: [5, 6], mode: .bilinear)
                    + F.interpolate(x[0], size: [5, 6], mode: .bilinear, alignCorners: true)
                    + F.interpolate(x[0], size: [5, 6], mode: .bicubic)
            })
        },
        GradientCase("pad reflect and replicate") {
            var data = TestData(seed: 23)
            return ([data.tensor([1, 2, 3, 4])], { x in
                F.pad(x[0], [2, 1, 1, 2], mode: .reflect) * F.pad(x[0], [2, 1, 1, 2], mode: .replicate)
            })
        },
        GradientCase("klDivergence (batch mean, log target) and smoothL1") {
            var data = TestData(seed: 24)
            let target = F.logSoftmax(data.tensor([3, 4]), dim: 1)
            return ([data.tensor([3, 4], -2, 2)], { x in
                F.klDivergence(F.logSoftmax(x[0], dim: 1), target: target, logTarget: true)
                    + F.smoothL1Loss(x[0], target: target, beta: 0.5)
            })
        },
        GradientCase("binaryCrossEntropyWithLogits with positive weights") {
            var data = TestData(seed: 25)
            let target = data.tensor([3, 4], 0, 1)
            let positiveWeight = data.tensor([4], 0.5, 3)
            return ([data.tensor([3, 4], -3, 3)], { x in
                F.binaryCrossEntropyWithLogits(x[0], target: target, positiveWeight: positiveWeight)
            })
        },
        GradientCase("cdist and cosineSimilarity") {
            var data = TestData(seed: 26)
            return ([data.tensor([3, 4]), data.tensor([5, 4])], { x in
                F.cdist(x[0], x[1]).sum(1) + F.cosineSimilarity(x[0].unsqueezed(1), x[1].unsqueezed(0), dim: 2).sum(1)
            })
        },
        GradientCase("norm, standardDeviation, logSumExp, prod, cumsum") {
            var data = TestData(seed: 27)
            return ([data.tensor([3, 4], 0.5, 2)], { x in
                x[0].norm(3, dims: [1]) + x[0].standardDeviation([1]) + x[0].logSumExp(1) + x[0].prod(1)
                    + x[0].cumsum(1).sum(1)
            })
        },
        GradientCase("inverse, determinant, symmetricSquareRoot") {
            var data = TestData(seed: 28)
            let shift = Tensor.eye(3, dtype: .float64) * 3
            return ([data.tensor([3, 3])], { x in
                let spd = x[0].matmul(x[0].transposed()) + shift
                return (x[0] + shift).inverse().sum(0) + spd.determinant().log() + spd.symmetricSquareRoot().sum(0)
            })
        },
        GradientCase("advanced indexing, gather, scatterAdd, slices") {
            var data = TestData(seed: 29)
            let rows = Tensor([2, 0, 2] as [Int64])
            let index = try! Tensor([0, 2, 1, 1, 0, 0] as [Int64], shape: [2, 3])
            return ([data.tensor([3, 4]), data.tensor([2, 3])], { x in
                x[0][rows].sum(0) + x[0][0..<2].gather(1, index).sum(1).sum()
                    + x[0].zerosLike().scatterAdd(1, index, x[1])[.all, 0..<4].sum(0) + x[0][.all, 1].sum()
            })
        },
        GradientCase("embedding weights") {
            let indices = try! Tensor([1, 3, 1, 0] as [Int64], shape: [2, 2])
            var data = TestData(seed: 30)
            return ([data.tensor([4, 3])], { x in F.embedding(indices, weight: x[0]) })
        },
    ]

    @Test("gradient matches finite differences", arguments: cases)
    func gradientMatchesFiniteDifferences(_ testCase: GradientCase) {
        let (inputs, function) = testCase.make()
        let outcome = GradientChecker().check(inputs, function)
        #expect(outcome.passed, "\(outcome)")
        #expect(outcome.elementsChecked == inputs.reduce(0) { $0 + $1.count })
    }

    /// The checker itself must catch a wrong gradient: `x · detach(x)` has derivative `2x`, autograd sees `x`.
    @Test func checkerRejectsAWrongGradient() {
        var data = TestData(seed: 31)
        let outcome = GradientChecker().check([data.tensor([4], 0.5, 1)]) { x in x[0] * x[0].detached() }
        #expect(!outcome.passed)
        #expect(Swift.abs(outcome.numeric - 2 * outcome.analytic) < 1e-6)
    }
}
