import Testing
import Torch

private typealias F = Functional

/// Normalization of vectors, cosine similarity and distances.
@Suite struct DistanceTests {
    @Test func normalize() {
        let rows = try! Tensor([3, 4, 0, 0] as [Double], shape: [2, 2])
        #expect(isClose(F.normalize(rows).doubles, [0.6, 0.8, 0, 0], tolerance: 1e-12))
        #expect(isClose(F.normalize(rows, p: 1).doubles, [3.0 / 7, 4.0 / 7, 0, 0], tolerance: 1e-12))
        let columns = F.normalize(try! Tensor([3, 1, 4, 0] as [Double], shape: [2, 2]), dim: 0)
        #expect(isClose(columns.doubles, [0.6, 1, 0.8, 0], tolerance: 1e-12))
    }

    @Test func cosineSimilarity() {
        let a = try! Tensor([1, 0, 2, 0] as [Double], shape: [2, 2])
        let b = try! Tensor([1, 1, -3, 0] as [Double], shape: [2, 2])
        #expect(isClose(F.cosineSimilarity(a, b).doubles, [Double(0.5).squareRoot(), -1], tolerance: 1e-12))
    }

    @Test func pairwiseAndAllPairsDistances() {
        let a = try! Tensor([0, 0, 1, 1] as [Double], shape: [2, 2])
        let b = try! Tensor([3, 4] as [Double], shape: [1, 2])
        #expect(isClose(F.pairwiseDistance(a[0..<1], b).doubles, [5], tolerance: 1e-5))
        #expect(isClose(F.cdist(a, b).doubles, [5, Double(13).squareRoot()], tolerance: 1e-12))
        #expect(isClose(F.cdist(a, b, p: 1).doubles, [7, 5], tolerance: 1e-12))
        #expect(F.cdist(a, a).shape == [2, 2])
    }
}
