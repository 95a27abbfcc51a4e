extension FeatureMatrix {
    /// Every row rescaled to L2 norm `norm` (a zero row stays zero).
    ///
    /// Bridge distillation puts features of different engines on one scale with it: dlib's features have norm
    /// ≈ 1.4, other engines' 20 or more, and one learning rate, one temperature and one regression weight
    /// should fit every teacher.
    public func rowsScaled(toNorm norm: Float) -> FeatureMatrix {
        var values = values
        for row in 0..<rows {
            let range = (row * columns)..<((row + 1) * columns)
            let length = values[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard length > 0 else { continue }
            for index in range { values[index] *= norm / length }
        }
        // The shape is unchanged, so this cannot fail.
        return try! FeatureMatrix(rows: rows, columns: columns, values: values)
    }
}
