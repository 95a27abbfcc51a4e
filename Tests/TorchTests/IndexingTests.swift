import Testing
import Torch

/// Subscripts, slicing views, advanced indexing, gather/scatter and splitting.
@Suite struct IndexingTests {
    /// [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    let x = Tensor.arange(0, 12, dtype: .float64).reshaped([3, 4])

    @Test func integersAndRanges() {
        #expect(x[1].doubles == [4, 5, 6, 7])
        #expect(x[-1].doubles == [8, 9, 10, 11])
        #expect(x[1, 2].item == 6)
        #expect(x[.all, 2].doubles == [2, 6, 10])
        #expect(x[0..<2, 1...2].doubles == [1, 2, 5, 6])
        #expect(x[0..<2, 1...2].shape == [2, 2])
        #expect(x[1...].doubles == [4, 5, 6, 7, 8, 9, 10, 11])
        #expect(x[..<1].shape == [1, 4])
        #expect(x[...(-1)].shape == [3, 4])
        #expect(x[-2..<(-1), .all].doubles == [4, 5, 6, 7])
        #expect(x[.all, stride(from: 1, to: 4, by: 2)].doubles == [1, 3, 5, 7, 9, 11])
        #expect(x[.slice(step: 2), .slice(start: -1)].doubles == [3, 11])
    }

    @Test func ellipsisAndNewAxis() {
        #expect(x[.ellipsis, -1].doubles == [3, 7, 11])
        #expect(x[.newAxis].shape == [1, 3, 4])
        #expect(x[.all, .newAxis, 0].shape == [3, 1])
        let cube = Tensor.arange(0, 24, dtype: .float64).reshaped([2, 3, 4])
        #expect(cube[.ellipsis, 1, 2].doubles == [6, 18])
        #expect(cube[1, .ellipsis].shape == [3, 4])
    }

    @Test func slicesAreViews() {
        let y = x.clone()
        let row = y[1]
        row.fill_(-1)
        #expect(y[1].doubles == [-1, -1, -1, -1])
        #expect(x[1].doubles == [4, 5, 6, 7])
    }

    @Test func advancedIndexing() {
        let rows = Tensor([2, 0] as [Int64])
        #expect(x[rows].doubles == [8, 9, 10, 11, 0, 1, 2, 3])
        #expect(x[Tensor([0, 2] as [Int64]), Tensor([1, 3] as [Int64])].doubles == [1, 11])
        #expect(x[.all, Tensor([3, 0] as [Int64])].doubles == [3, 0, 7, 4, 11, 8])
        #expect(x[x .> 8.5].doubles == [9, 10, 11])
        #expect(x.index(with: [nil, Tensor([1] as [Int64])]).doubles == [1, 5, 9])
    }

    @Test func assignment() {
        let y = x.clone()
        y[0, 1..<3] = Tensor([-1, -2] as [Double])
        #expect(y[0].doubles == [0, -1, -2, 3])
        y[y .< 0] = Tensor(scalar: Float(100))
        #expect(y[0].doubles == [0, 100, 100, 3])
        y[.all, 3] = Tensor(scalar: 0.5)
        #expect(y[.all, 3].doubles == [0.5, 0.5, 0.5])
        y.assign(7, at: [TensorIndex.index(2), .index(0)])
        #expect(y[2, 0].item == 7)
    }

    @Test func indexPutAccumulatesRepeatedPositions() {
        let zeros = Tensor.zeros([4], dtype: .float64)
        let positions = Tensor([1, 3, 1] as [Int64])
        let values = Tensor([1, 2, 3] as [Double])
        #expect(zeros.indexPut([positions], values: values, accumulate: true).doubles == [0, 4, 0, 2])
        #expect(zeros.doubles == [0, 0, 0, 0])
        zeros.indexPut_([Tensor([0] as [Int64])], values: Tensor([9] as [Double]))
        #expect(zeros.doubles == [9, 0, 0, 0])
    }

    @Test func narrowSelectIndexSelect() {
        #expect(x.narrow(1, start: 1, length: 2).doubles == [1, 2, 5, 6, 9, 10])
        #expect(x.select(1, 0).doubles == [0, 4, 8])
        #expect(x.indexSelect(0, Tensor([2, 2] as [Int64])).doubles == [8, 9, 10, 11, 8, 9, 10, 11])
    }

    @Test func gatherAndScatter() throws {
        let index = try Tensor([3, 0, 1, 1] as [Int64], shape: [2, 2])
        #expect(x[0..<2].gather(1, index).doubles == [3, 0, 5, 5])
        let source = try Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])
        let zeros = Tensor.zeros([2, 4], dtype: .float64)
        // Repeated positions accumulate in scatterAdd; for scatter they would be unspecified, so use distinct ones.
        #expect(zeros.scatterAdd(1, index, source).doubles == [2, 0, 0, 1, 0, 7, 0, 0])
        let distinct = try Tensor([3, 0, 1, 2] as [Int64], shape: [2, 2])
        #expect(zeros.scatter(1, distinct, source).doubles == [2, 0, 0, 1, 0, 3, 4, 0])
        #expect(zeros.scatter(1, distinct, value: 5).doubles == [5, 0, 0, 5, 0, 5, 5, 0])
        #expect(x.maskedSelect(x[.all, 0..<1] .>= 4).doubles == [4, 5, 6, 7, 8, 9, 10, 11])
    }

    @Test func splittingAndChunking() {
        let vector = Tensor.arange(0, 5, dtype: .float64)
        #expect(vector.split(size: 2).map(\.doubles) == [[0, 1], [2, 3], [4]])
        #expect(vector.split(sizes: [1, 4]).map(\.doubles) == [[0], [1, 2, 3, 4]])
        #expect(vector.chunked(2).map(\.doubles) == [[0, 1, 2], [3, 4]])
        #expect(x.unbind(1).map(\.doubles) == [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]])
    }

    @Test func badIndexThrowsInsideErrorScope() {
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { x[0, 0, 0] }
        }
        #expect(error?.message.contains("does not fit a tensor of shape [3, 4]") == true)
        let outOfRange = #expect(throws: TorchError.self) {
            try withTorchErrors { x[5] }
        }
        #expect(outOfRange?.message.contains("out of range") == true)
    }
}
