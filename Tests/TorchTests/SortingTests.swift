import Testing
import Torch

/// topk, sort and argsort.
@Suite struct SortingTests {
    let v = Tensor([3, 1, 2, 5, 4] as [Double])

    @Test func topk() {
        let (values, indices) = v.topk(2)
        #expect(values.doubles == [5, 4])
        #expect(indices.array(of: Int64.self) == [3, 4])
        let smallest = v.topk(2, largest: false)
        #expect(smallest.values.doubles == [1, 2])
        #expect(smallest.indices.array(of: Int64.self) == [1, 2])
        let rows = try! Tensor([1, 9, 5, 7, 3, 8] as [Double], shape: [2, 3])
        #expect(rows.topk(1, dim: 1).values.doubles == [9, 8])
    }

    @Test func sortAndArgsort() {
        let (values, indices) = v.sorted()
        #expect(values.doubles == [1, 2, 3, 4, 5])
        #expect(indices.array(of: Int64.self) == [1, 2, 0, 4, 3])
        #expect(v.sorted(descending: true).values.doubles == [5, 4, 3, 2, 1])
        #expect(v.argsort(descending: true).array(of: Int64.self) == [3, 4, 0, 2, 1])
    }

    @Test func sortIsStable() {
        let ties = Tensor([2, 1, 2, 1, 2] as [Double])
        #expect(ties.argsort().array(of: Int64.self) == [1, 3, 0, 2, 4])
        #expect(ties.argsort(descending: true).array(of: Int64.self) == [0, 2, 4, 1, 3])
    }
}
