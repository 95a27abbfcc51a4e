/// Linear algebra on matrices (the last two dimensions; leading dimensions are batches).
extension Tensor {
    /// The inverse of a square matrix.
    public func inverse() -> Tensor { Torch.call("aten::linalg_inv", self).tensor() }

    /// The determinant of a square matrix.
    public func determinant() -> Tensor { Torch.call("aten::linalg_det", self).tensor() }

    /// The sign and the log of the absolute value of the determinant, which stays finite where the
    /// determinant itself would overflow or underflow.
    public func signedLogDeterminant() -> (sign: Tensor, logAbsDeterminant: Tensor) {
        let results = Torch.call("aten::linalg_slogdet", self)
        return (results.tensor(0), results.tensor(1))
    }

    /// The lower-triangular `L` with `L · Lᵀ = self`, for a symmetric positive-definite matrix.
    public func cholesky() -> Tensor { Torch.call("aten::linalg_cholesky", self).tensor() }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix
    /// (`torch.linalg.eigh`); only the lower triangle is read.
    public func symmetricEigendecomposition() -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let results = Torch.call("aten::linalg_eigh", self, "L")
        return (results.tensor(0), results.tensor(1))
    }

    /// The singular value decomposition `self = U · diag(S) · Vh` (`torch.linalg.svd`), singular values
    /// descending. With `fullMatrices: false` the factors are the reduced ones.
    public func singularValueDecomposition(fullMatrices: Bool = false) -> (u: Tensor, s: Tensor, vh: Tensor) {
        let results = Torch.call("aten::linalg_svd", self, fullMatrices)
        return (results.tensor(0), results.tensor(1), results.tensor(2))
    }

    /// The symmetric positive semi-definite square root `V · diag(√λ) · Vᵀ` of a symmetric positive
    /// semi-definite matrix, from its eigendecomposition; eigenvalues below zero (rounding) count as zero.
    ///
    /// Used for the matrix square root in Fréchet distances between feature distributions.
    public func symmetricSquareRoot() -> Tensor {
        let (eigenvalues, eigenvectors) = symmetricEigendecomposition()
        let roots = eigenvalues.clamp(min: 0).sqrt()
        return (eigenvectors * roots.unsqueezed(-2)).matmul(eigenvectors.transposed(-2, -1))
    }

    /// The outer product `self · otherᵀ` of two vectors.
    public func outer(_ other: Tensor) -> Tensor { Torch.call("aten::outer", self, other).tensor() }

    /// The inner product of two vectors.
    public func dot(_ other: Tensor) -> Tensor { Torch.call("aten::dot", self, other).tensor() }

    /// For a vector, the square matrix with it on diagonal `offset`; for a matrix, that diagonal as a vector.
    public func diag(_ offset: Int = 0) -> Tensor { Torch.call("aten::diag", self, offset).tensor() }

    /// The diagonal of the last two dimensions, batched (a view).
    public func diagonal(offset: Int = 0) -> Tensor {
        Torch.call("aten::diagonal", self, offset, -2, -1).tensor()
    }

    /// The sum of the main diagonal of a matrix.
    public func trace() -> Tensor { Torch.call("aten::trace", self).tensor() }
}
