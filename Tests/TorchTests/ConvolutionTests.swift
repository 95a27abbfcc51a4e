import Testing
import Torch

private typealias F = Functional

/// Linear maps and convolutions against hand-computed values.
@Suite struct ConvolutionTests {
    @Test func linear() {
        let x = try! Tensor([1, 2] as [Double], shape: [1, 2])
        let weight = try! Tensor([1, 1, 2, -1] as [Double], shape: [2, 2])
        #expect(F.linear(x, weight: weight, bias: Tensor([0.5, 0] as [Double])).doubles == [3.5, 0])
        #expect(F.linear(x, weight: weight, bias: nil).doubles == [3, 0])
    }

    /// 1…9 in a 3×3 image.
    let image = Tensor.arange(1, 10, dtype: .float64).reshaped([1, 1, 3, 3])

    @Test func conv2d() {
        let box = Tensor.ones([1, 1, 2, 2], dtype: .float64)
        #expect(F.conv2d(image, weight: box, bias: nil).doubles == [12, 16, 24, 28])
        #expect(F.conv2d(image, weight: box, bias: Tensor([1] as [Double])).doubles == [13, 17, 25, 29])
        let padded = F.conv2d(image, weight: box, bias: nil, padding: [1, 1])
        #expect(padded.shape == [1, 1, 4, 4])
        #expect(padded[0, 0, 0].doubles == [1, 3, 5, 3])
        #expect(F.conv2d(image, weight: box, bias: nil, stride: [2, 2], padding: [1, 1]).doubles == [1, 5, 11, 28])
        #expect(F.conv2d(image, weight: box, bias: nil, dilation: [2, 2]).doubles == [20])
    }

    @Test func conv2dGroupsKeepChannelsApart() {
        let x = try! Tensor([1, 2, 3, 4, 10, 20, 30, 40] as [Double], shape: [1, 2, 2, 2])
        let weight = try! Tensor([2, 3] as [Double], shape: [2, 1, 1, 1])
        #expect(F.conv2d(x, weight: weight, bias: nil, groups: 2).doubles == [2, 4, 6, 8, 30, 60, 90, 120])
    }

    @Test func convTranspose2d() {
        let x = try! Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let box = Tensor.ones([1, 1, 2, 2], dtype: .float64)
        #expect(F.convTranspose2d(x, weight: box, bias: nil).doubles == [1, 3, 2, 4, 10, 6, 3, 7, 4])
        let upsampled = F.convTranspose2d(x, weight: box, bias: nil, stride: [2, 2])
        #expect(upsampled.doubles == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        let cropped = F.convTranspose2d(x, weight: box, bias: Tensor([1] as [Double]), stride: [2, 2],
                                        padding: [1, 1], outputPadding: [1, 1])
        #expect(cropped.shape == [1, 1, 3, 3])
        #expect(cropped.doubles == [2, 3, 3, 4, 5, 5, 4, 5, 5])
    }
}
