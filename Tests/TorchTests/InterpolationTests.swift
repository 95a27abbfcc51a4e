import Testing
import Torch

private typealias F = Functional

/// Resizing with each interpolation mode against hand-computed values.
@Suite struct InterpolationTests {
    /// [[1, 2], [3, 4]]: the bilinear surface 1 + x + 2y in pixel coordinates.
    let image = try! Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])

    @Test func nearest() {
        let expected: [Double] = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]
        #expect(F.interpolate(image, size: [4, 4]).doubles == expected)
        #expect(F.interpolate(image, scaleFactor: [2, 2]).doubles == expected)
        #expect(F.interpolate(image, size: [1, 3]).doubles == [1, 1, 2])
    }

    @Test func bilinearWithAlignedCorners() {
        // Output pixel i samples input position i · (2 − 1) / (4 − 1).
        let y = F.interpolate(image, size: [4, 4], mode: .bilinear, alignCorners: true)
        #expect(isClose(y[0, 0, 0].doubles, [1, 4.0 / 3, 5.0 / 3, 2], tolerance: 1e-12))
        #expect(isClose(y[0, 0, 1].doubles, [5.0 / 3, 2, 7.0 / 3, 8.0 / 3], tolerance: 1e-12))
        #expect(isClose(y[0, 0, 3].doubles, [3, 10.0 / 3, 11.0 / 3, 4], tolerance: 1e-12))
    }

    @Test func bilinearWithHalfPixelCentres() {
        // Output pixel i samples input position (i + ½) / 2 − ½, clamped to [0, 1]: 0, ¼, ¾, 1.
        let y = F.interpolate(image, size: [4, 4], mode: .bilinear)
        #expect(isClose(y[0, 0, 0].doubles, [1, 1.25, 1.75, 2], tolerance: 1e-12))
        #expect(isClose(y[0, 0, 1].doubles, [1.5, 1.75, 2.25, 2.5], tolerance: 1e-12))
    }

    @Test func bicubicUsesTheKeysKernel() {
        // Row 0, 1, 2, 3 to 7 samples at 0, ½, …, 3. At a half position the Keys weights (a = −0.75) are
        // −3/32, 19/32, 19/32, −3/32; the border repeats the edge pixel. Linear inside, not at the ends.
        let row = try! Tensor([0, 1, 2, 3] as [Double], shape: [1, 1, 1, 4])
        let y = F.interpolate(row, size: [1, 7], mode: .bicubic, alignCorners: true)
        #expect(isClose(y.doubles, [0, 0.40625, 1, 1.5, 2, 2.59375, 3], tolerance: 1e-12))
    }

    @Test func areaAveragesCoveredPixels() {
        let ramp = Tensor.arange(0, 16, dtype: .float64).reshaped([1, 1, 4, 4])
        #expect(F.interpolate(ramp, size: [2, 2], mode: .area).doubles == [2.5, 4.5, 10.5, 12.5])
        #expect(F.interpolate(ramp, scaleFactor: [0.5, 0.25], mode: .area).doubles == [3.5, 11.5])
    }

    @Test func sizeAndScaleAreExclusive() {
        #expect(throws: TorchError.self) { try withTorchErrors { F.interpolate(image) } }
        #expect(throws: TorchError.self) {
            try withTorchErrors { F.interpolate(image, size: [2, 2], scaleFactor: [1, 1]) }
        }
    }
}
