import Testing
import Torch

private typealias F = Functional

/// Affine grids and grid sampling, as used by face alignment.
@Suite struct SamplingTests {
    /// [[1, 2, 3, 4], [5, 6, 7, 8]]
    let image = Tensor.arange(1, 9, dtype: .float64).reshaped([1, 1, 2, 4])

    /// An `[1, 2, 3]` affine matrix translating by `dx` normalized units along x.
    func translation(_ dx: Double) -> Tensor {
        try! Tensor([1, 0, dx, 0, 1, 0] as [Double], shape: [1, 2, 3])
    }

    @Test func affineGridCoordinates() {
        let aligned = F.affineGrid(translation(0), size: [1, 1, 2, 3], alignCorners: true)
        #expect(aligned.shape == [1, 2, 3, 2])
        #expect(aligned.doubles == [-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1])
        let centred = F.affineGrid(translation(0), size: [1, 1, 2, 2])
        #expect(centred.doubles == [-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5])
    }

    @Test func identityWarpReproducesTheImage() {
        for alignCorners in [false, true] {
            let grid = F.affineGrid(translation(0), size: [1, 1, 2, 4], alignCorners: alignCorners)
            let warped = F.gridSample(image, grid: grid, alignCorners: alignCorners)
            #expect(isClose(warped.doubles, image.doubles, tolerance: 1e-12))
        }
    }

    @Test func translationByOnePixelWithEachPadding() {
        // 2 / width normalized units is one pixel.
        let grid = F.affineGrid(translation(0.5), size: [1, 1, 2, 4])
        #expect(isClose(F.gridSample(image, grid: grid).doubles, [2, 3, 4, 0, 6, 7, 8, 0], tolerance: 1e-12))
        #expect(isClose(F.gridSample(image, grid: grid, padding: .border).doubles, [2, 3, 4, 4, 6, 7, 8, 8],
                        tolerance: 1e-12))
        // Mirrored about the outer edge of the last pixel, x = 4 reads pixel 3 again.
        #expect(isClose(F.gridSample(image, grid: grid, padding: .reflection).doubles, [2, 3, 4, 4, 6, 7, 8, 8],
                        tolerance: 1e-12))
    }

    @Test func fractionalShiftBilinearAndNearest() {
        // 0.6 pixels: bilinear mixes neighbours 40/60; the last pixel blends with the zero padding.
        let grid = F.affineGrid(translation(0.3), size: [1, 1, 2, 4])
        #expect(isClose(F.gridSample(image, grid: grid).doubles, [1.6, 2.6, 3.6, 1.6, 5.6, 6.6, 7.6, 3.2],
                        tolerance: 1e-12))
        #expect(F.gridSample(image, grid: grid, mode: .nearest).doubles == [2, 3, 4, 0, 6, 7, 8, 0])
    }
}
