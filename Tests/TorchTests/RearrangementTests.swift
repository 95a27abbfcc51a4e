import Testing
import Torch

/// Repeating, flipping, rolling, triangles, clones and conversions between dtypes.
@Suite struct RearrangementTests {
    let m = try! Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])

    @Test func repeating() {
        let row = Tensor([1, 2] as [Double])
        #expect(row.repeated([2, 2]).doubles == [1, 2, 1, 2, 1, 2, 1, 2])
        #expect(row.repeated([2, 2]).shape == [2, 4])
        #expect(row.repeatedElements(2, dim: 0).doubles == [1, 1, 2, 2])
    }

    @Test func flippingAndRolling() {
        #expect(m.flipped([1]).doubles == [2, 1, 4, 3])
        #expect(m.flipped([0, 1]).doubles == [4, 3, 2, 1])
        let v = Tensor([1, 2, 3, 4] as [Double])
        #expect(v.rolled([1], dims: [0]).doubles == [4, 1, 2, 3])
        #expect(v.rolled([-1], dims: [0]).doubles == [2, 3, 4, 1])
        #expect(m.rolled([1], dims: [1]).doubles == [2, 1, 4, 3])
    }

    @Test func triangles() {
        #expect(m.lowerTriangle().doubles == [1, 0, 3, 4])
        #expect(m.upperTriangle().doubles == [1, 2, 0, 4])
        #expect(m.upperTriangle(1).doubles == [0, 2, 0, 0])
    }

    @Test func cloneOwnsItsStorage() {
        let copy = m.clone()
        copy.fill_(0)
        #expect(m.doubles == [1, 2, 3, 4])
        #expect(!copy.isSameTensor(as: m))
    }
}
