import Foundation
import Testing

@testable import Torch

@Suite struct InitializerTests {
    private func standardDeviation(_ values: [Float]) -> Double {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count))
            .squareRoot()
    }

    @Test func fansAndGainsFollowPyTorch() {
        let (fanIn, fanOut) = Initializers.fans(of: Tensor.zeros([8, 4, 3, 3]))
        #expect(fanIn == 36 && fanOut == 72)
        #expect(Initializers.Nonlinearity.relu.gain == 2.0.squareRoot())
        #expect(Initializers.Nonlinearity.tanh.gain == 5.0 / 3.0)
        #expect(abs(Initializers.Nonlinearity.leakyRelu(negativeSlope: 5.0.squareRoot()).gain - (1 / 3.0).squareRoot())
            < 1e-12)
        #expect(Initializers.Nonlinearity.linear.gain == 1)
    }

    @Test func layerDefaultsStayWithinOneOverRootFanIn() throws {
        let layer = Linear(100, 50)
        let weights = layer.weight.array(of: Float.self)
        let biases = try #require(layer.bias).array(of: Float.self)
        #expect(weights.allSatisfy { abs($0) <= 0.1 })
        #expect(weights.map(abs).max()! > 0.09)  // spread over the whole interval, not a narrower one
        #expect(biases.allSatisfy { abs($0) <= 0.1 })
        let conv = Conv2d(4, 8, kernelSize: 3)  // fan in 36: bound 1/6
        #expect(conv.weight.array(of: Float.self).allSatisfy { abs($0) <= 1 / 6 + 1e-7 })
        #expect(conv.weight.array(of: Float.self).map(abs).max()! > 0.15)
    }

    @Test func kaimingAndXavierHaveTheirVariance() {
        let tensor = Tensor.zeros([256, 512])
        Initializers.kaimingNormal(tensor, nonlinearity: .relu)
        #expect(abs(standardDeviation(tensor.array(of: Float.self)) / (2.0 / 512).squareRoot() - 1) < 0.05)
        Initializers.kaimingUniform(tensor, mode: .fanOut, nonlinearity: .relu)
        let kaimingBound = Float(2.0.squareRoot() * (3.0 / 256).squareRoot())
        #expect(tensor.array(of: Float.self).allSatisfy { abs($0) <= kaimingBound })
        #expect(tensor.array(of: Float.self).map(abs).max()! > kaimingBound * 0.99)
        Initializers.xavierUniform(tensor, gain: 2)
        let xavierBound = Float(2 * (6.0 / 768).squareRoot())
        #expect(tensor.array(of: Float.self).allSatisfy { abs($0) <= xavierBound })
        Initializers.xavierNormal(tensor)
        #expect(abs(standardDeviation(tensor.array(of: Float.self)) / (2.0 / 768).squareRoot() - 1) < 0.05)
    }

    @Test func simpleFillsAndInPlaceSemantics() {
        let parameter = Tensor.zeros([3, 2]).requiresGrad(true)
        let held = parameter
        #expect(Initializers.constant(parameter, 0.5).isSameTensor(as: held))
        #expect(held.array(of: Float.self) == Array(repeating: 0.5, count: 6))
        #expect(parameter.requiresGrad && parameter.isLeaf)
        Initializers.ones(parameter)
        #expect(held.array(of: Float.self) == Array(repeating: 1, count: 6))
        Initializers.zeros(parameter)
        #expect(held.array(of: Float.self) == Array(repeating: 0, count: 6))
        Initializers.uniform(parameter, low: 2, high: 3)
        #expect(held.array(of: Float.self).allSatisfy { (2...3).contains($0) })
        let big = Tensor.zeros([20000])
        Initializers.normal(big, mean: 5, std: 0.5)
        let values = big.array(of: Float.self)
        #expect(abs(values.reduce(0, +) / Float(values.count) - 5) < 0.02)
        #expect(abs(standardDeviation(values) - 0.5) < 0.02)
    }

    @Test func zeroElementTensorsAreLeftAlone() {
        let empty = Tensor.zeros([0, 3])
        Initializers.kaimingUniform(empty)
        Initializers.xavierNormal(empty)
        #expect(empty.shape == [0, 3])
    }
}
