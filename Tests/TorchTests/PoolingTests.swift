import Testing
import Torch

private typealias F = Functional

/// Max, average and adaptive pooling against hand-computed values.
@Suite struct PoolingTests {
    /// 0…15 in a 4×4 image.
    let image = Tensor.arange(0, 16, dtype: .float64).reshaped([1, 1, 4, 4])

    @Test func maxPool() {
        #expect(F.maxPool2d(image, kernelSize: [2, 2]).doubles == [5, 7, 13, 15])
        #expect(F.maxPool2d(image, kernelSize: [3, 3], stride: [1, 1]).doubles == [10, 11, 14, 15])
        let small = try! Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        #expect(F.maxPool2d(-small, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1]).doubles == [-1, -1, -1, -1])
        #expect(F.maxPool2d(image, kernelSize: [3, 3], stride: [2, 2], ceilMode: true).shape == [1, 1, 2, 2])
    }

    @Test func averagePool() {
        #expect(F.avgPool2d(image, kernelSize: [2, 2]).doubles == [2.5, 4.5, 10.5, 12.5])
        let small = try! Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let withZeros = F.avgPool2d(small, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1])
        #expect(isClose(withZeros.doubles, Array(repeating: 10.0 / 9, count: 4), tolerance: 1e-12))
        let withoutZeros = F.avgPool2d(small, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1],
                                       countIncludePad: false)
        #expect(withoutZeros.doubles == [2.5, 2.5, 2.5, 2.5])
    }

    @Test func adaptivePools() {
        #expect(F.adaptiveAvgPool2d(image, outputSize: [1, 1]).doubles == [7.5])
        // 4 → 3 windows: [0, 2), [1, 3), [2, 4) in each direction.
        let overlapping = F.adaptiveAvgPool2d(image, outputSize: [3, 3])
        #expect(overlapping.doubles == [2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5])
        #expect(F.adaptiveMaxPool2d(image, outputSize: [2, 1]).doubles == [7, 15])
    }
}
