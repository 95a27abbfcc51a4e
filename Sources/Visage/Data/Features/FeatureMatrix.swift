/// An N×D matrix of float32 features, one row per image, stored row-major.
public struct FeatureMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` values, row by row.
    public var values: [Float]

    /// A matrix over existing values.
    /// - Throws: ``DataError/invalidArgument(_:)`` when a size is negative or the count is not `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        guard rows >= 0, columns >= 0 else {
            throw DataError.invalidArgument("a feature matrix cannot be \(rows)×\(columns)")
        }
        guard values.count == rows * columns else {
            throw DataError.invalidArgument(
                "a \(rows)×\(columns) feature matrix needs \(rows * columns) values, got \(values.count)")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Row `index`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// The rows at `indices`, in that order (repeats allowed).
    public func selecting(rows indices: [Int]) -> FeatureMatrix {
        // indices.count rows of `columns` values each: the count always matches, so this cannot fail.
        try! FeatureMatrix(rows: indices.count, columns: columns, values: indices.flatMap { row($0) })
    }
}
