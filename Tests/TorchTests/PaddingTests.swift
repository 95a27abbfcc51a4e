import Testing
import Torch

private typealias F = Functional

/// Each padding mode against hand-written results.
@Suite struct PaddingTests {
    let row = try! Tensor([1, 2, 3] as [Double], shape: [1, 1, 3])

    @Test func modesOnOneDimension() {
        #expect(F.pad(row, [2, 2], mode: .reflect).doubles == [3, 2, 1, 2, 3, 2, 1])
        #expect(F.pad(row, [2, 2], mode: .replicate).doubles == [1, 1, 1, 2, 3, 3, 3])
        #expect(F.pad(row, [2, 2], mode: .circular).doubles == [2, 3, 1, 2, 3, 1, 2])
        #expect(F.pad(row, [1, 0], mode: .constant(9)).doubles == [9, 1, 2, 3])
        #expect(F.pad(row, [0, 1]).doubles == [1, 2, 3, 0])
        #expect(F.pad(row, [-1, 0]).doubles == [2, 3])
    }

    @Test func twoDimensions() {
        let image = try! Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let padded = F.pad(image, [1, 0, 0, 1], mode: .replicate)
        #expect(padded.shape == [1, 1, 3, 3])
        #expect(padded.doubles == [1, 1, 2, 3, 3, 4, 3, 3, 4])
        #expect(F.pad(image, [1, 1, 1, 1], mode: .reflect)[0, 0, 0].doubles == [4, 3, 4, 3])
    }
}
