import Foundation
import Testing
import Torch

/// Norms, statistics, products, logical reductions and scans against hand-computed values.
@Suite struct ReductionTests {
    /// [[1, 2], [3, 4]]
    let x = try! Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])

    @Test func norms() {
        #expect(Swift.abs(x.norm().item - Double(30).squareRoot()) < 1e-12)
        #expect(x.norm(1).item == 10)
        #expect(x.norm(.infinity).item == 4)
        #expect(isClose(x.norm(2, dims: [1]).doubles, [Double(5).squareRoot(), 5], tolerance: 1e-12))
        #expect(x.norm(2, dims: [0], keepDim: true).shape == [1, 2])
    }

    @Test func varianceAndStandardDeviation() {
        // Deviations from 2.5 are ±1.5, ±0.5: squared sum 5.
        #expect(Swift.abs(x.variance().item - 5.0 / 3) < 1e-12)
        #expect(Swift.abs(x.variance(unbiased: false).item - 1.25) < 1e-12)
        #expect(Swift.abs(x.standardDeviation().item - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(x.variance([0]).doubles == [2, 2])
        #expect(x.standardDeviation([1], unbiased: false, keepDim: true).doubles == [0.5, 0.5])
    }

    @Test func logSumExpIsStable() {
        let expected = [2 + Foundation.log(1 + Foundation.exp(-1.0)), 4 + Foundation.log(1 + Foundation.exp(-1.0))]
        #expect(isClose(x.logSumExp(1).doubles, expected, tolerance: 1e-12))
        let large = Tensor([1000, 1000] as [Double])
        #expect(Swift.abs(large.logSumExp(0).item - (1000 + Foundation.log(2.0))) < 1e-9)
    }

    @Test func products() {
        #expect(x.prod().item == 24)
        #expect(x.prod(0).doubles == [3, 8])
        #expect(x.prod(1, keepDim: true).shape == [2, 1])
    }

    @Test func allAndAny() {
        let flags = try! Tensor([true, false, true, true], shape: [2, 2])
        #expect(flags.all().item(Bool.self) == false)
        #expect(flags.any().item(Bool.self) == true)
        #expect(flags.all(0).array(of: Bool.self) == [true, false])
        #expect(flags.any(1).array(of: Bool.self) == [true, true])
        #expect(Tensor.zeros([3]).any().item(Bool.self) == false)
    }

    @Test func scans() {
        let v = Tensor([1, 2, 3, 4] as [Double])
        #expect(v.cumsum(0).doubles == [1, 3, 6, 10])
        #expect(v.cumprod(0).doubles == [1, 2, 6, 24])
        #expect(x.cumsum(0).doubles == [1, 2, 4, 6])
    }
}
