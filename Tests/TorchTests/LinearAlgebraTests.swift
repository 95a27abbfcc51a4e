import Foundation
import Testing
import Torch

/// Matrix functions against hand-computed results.
@Suite struct LinearAlgebraTests {
    /// [[4, 1], [2, 3]]: determinant 10, trace 7.
    let a = try! Tensor([4, 1, 2, 3] as [Double], shape: [2, 2])

    @Test func inverseAndDeterminant() {
        #expect(isClose(a.inverse().doubles, [0.3, -0.1, -0.2, 0.4], tolerance: 1e-12))
        #expect(Swift.abs(a.determinant().item - 10) < 1e-12)
        let (sign, logAbs) = a.signedLogDeterminant()
        #expect(sign.item == 1)
        #expect(Swift.abs(logAbs.item - Foundation.log(10.0)) < 1e-12)
        let swap = try! Tensor([0, 1, 1, 0] as [Double], shape: [2, 2])
        #expect(swap.signedLogDeterminant().sign.item == -1)
        #expect(Swift.abs(swap.signedLogDeterminant().logAbsDeterminant.item) < 1e-12)
    }

    @Test func cholesky() {
        let spd = try! Tensor([4, 2, 2, 3] as [Double], shape: [2, 2])
        #expect(isClose(spd.cholesky().doubles, [2, 0, 1, Double(2).squareRoot()], tolerance: 1e-12))
    }

    @Test func symmetricEigendecomposition() {
        let s = try! Tensor([2, 1, 1, 2] as [Double], shape: [2, 2])
        let (eigenvalues, eigenvectors) = s.symmetricEigendecomposition()
        #expect(isClose(eigenvalues.doubles, [1, 3], tolerance: 1e-12))
        let half = 0.5.squareRoot()
        #expect(isClose(eigenvectors.abs().doubles, [half, half, half, half], tolerance: 1e-12))
        // The eigenvector of 3 is (1, 1)/√2, of 1 is (1, −1)/√2, up to sign.
        let v = eigenvectors.doubles
        #expect(Swift.abs(v[1] - v[3]) < 1e-12 && Swift.abs(v[0] + v[2]) < 1e-12)
    }

    @Test func singularValueDecomposition() {
        let m = try! Tensor([3, 0, 0, -2, 0, 0] as [Double], shape: [3, 2])
        let (u, s, vh) = m.singularValueDecomposition()
        #expect(isClose(s.doubles, [3, 2], tolerance: 1e-12))
        #expect(u.shape == [3, 2] && vh.shape == [2, 2])
        #expect(isClose((u * s).matmul(vh).doubles, m.doubles, tolerance: 1e-12))
        #expect(m.singularValueDecomposition(fullMatrices: true).u.shape == [3, 3])
    }

    @Test func symmetricSquareRoot() {
        // √[[2, 1], [1, 2]] = V diag(1, √3) Vᵀ = ½[[1 + √3, √3 − 1], [√3 − 1, 1 + √3]].
        let s = try! Tensor([2, 1, 1, 2] as [Double], shape: [2, 2])
        let r3 = Double(3).squareRoot()
        let expected = [(1 + r3) / 2, (r3 - 1) / 2, (r3 - 1) / 2, (1 + r3) / 2]
        #expect(isClose(s.symmetricSquareRoot().doubles, expected, tolerance: 1e-12))
        // A rank-deficient matrix whose smallest eigenvalue rounds below zero still has a real root.
        let singular = try! Tensor([1, 1, 1, 1] as [Double], shape: [2, 2])
        let root = singular.symmetricSquareRoot()
        #expect(!root.isnan().any().item(Bool.self))
        #expect(isClose(root.matmul(root).doubles, singular.doubles, tolerance: 1e-7))
    }

    @Test func productsDiagonalsAndTrace() {
        let u = Tensor([1, 2] as [Double])
        let w = Tensor([3, 4, 5] as [Double])
        #expect(u.outer(w).doubles == [3, 4, 5, 6, 8, 10])
        #expect(u.dot(Tensor([3, 4] as [Double])).item == 11)
        #expect(u.diag().doubles == [1, 0, 0, 2])
        #expect(u.diag(1).shape == [3, 3])
        #expect(a.diag().doubles == [4, 3])
        #expect(a.diagonal(offset: 1).doubles == [1])
        #expect(a.trace().item == 7)
    }
}
