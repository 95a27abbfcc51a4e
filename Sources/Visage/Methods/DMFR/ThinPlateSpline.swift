import Foundation

/// A 2-D thin-plate spline: the smoothest map (least bending energy) that takes each control point exactly to
/// its target, used to warp an image so that chosen points move where they should and the rest follows smoothly.
///
/// The map is `f(p) = a₀ + a₁·p.x + a₂·p.y + Σᵢ wᵢ·U(‖p − cᵢ‖)` per coordinate with `U(r) = r² log r²`, solved
/// from the linear system of Bookstein (1989). With every target equal to its control point the solution is
/// exactly the identity (zero weights, identity affine part), so a zero-change warp returns its input.
public struct ThinPlateSpline: Sendable {
    /// The control points the map is defined on.
    public let controls: [SIMD2<Double>]
    /// Kernel weights, one per control point, for x and y.
    private let weights: [SIMD2<Double>]
    /// Affine part: constant, x and y coefficients, for x and y.
    private let affine: (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>)

    /// The spline taking `controls[i]` to `targets[i]`.
    /// - Throws: ``DataError/invalidArgument(_:)`` for fewer than three points, different counts, non-finite
    ///   coordinates, or points so placed (all on one line, or two coinciding) that no spline exists.
    public init(from controls: [SIMD2<Double>], to targets: [SIMD2<Double>]) throws {
        let n = controls.count
        guard n >= 3, targets.count == n else {
            throw DataError.invalidArgument("a thin-plate spline needs at least 3 control points and one target each; "
                + "got \(n) points and \(targets.count) targets")
        }
        guard (controls + targets).allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw DataError.invalidArgument("thin-plate spline points must be finite")
        }
        // [K P; Pᵀ 0] [w; a] = [v; 0]
        let size = n + 3
        var matrix = [Double](repeating: 0, count: size * size)
        for i in 0..<n {
            for j in 0..<n { matrix[i * size + j] = Self.kernel(controls[i] - controls[j]) }
            let p = [1, controls[i].x, controls[i].y]
            for k in 0..<3 {
                matrix[i * size + n + k] = p[k]
                matrix[(n + k) * size + i] = p[k]
            }
        }
        var right = [SIMD2<Double>](repeating: .zero, count: size)
        for i in 0..<n { right[i] = targets[i] }
        guard let solution = Self.solve(matrix, right, size: size) else {
            throw DataError.invalidArgument("no thin-plate spline through \(controls): the points coincide or lie on a line")
        }
        self.controls = controls
        weights = Array(solution[0..<n])
        affine = (solution[n], solution[n + 1], solution[n + 2])
    }

    /// Where the spline maps `point`.
    public func callAsFunction(_ point: SIMD2<Double>) -> SIMD2<Double> {
        var result = affine.0 + affine.1 * point.x + affine.2 * point.y
        for (control, weight) in zip(controls, weights) { result += weight * Self.kernel(point - control) }
        return result
    }

    private static func kernel(_ d: SIMD2<Double>) -> Double {
        let r2 = d.x * d.x + d.y * d.y
        return r2 > 0 ? r2 * log(r2) : 0
    }

    /// Gaussian elimination with partial pivoting; nil for a singular system.
    private static func solve(_ a: [Double], _ b: [SIMD2<Double>], size n: Int) -> [SIMD2<Double>]? {
        var a = a, b = b
        let scale = a.map(abs).max() ?? 1
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
            guard abs(a[pivot * n + column]) > 1e-12 * max(scale, 1) else { return nil }
            if pivot != column {
                for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<n {
                let factor = a[row * n + column] / a[column * n + column]
                if factor == 0 { continue }
                for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [SIMD2<Double>](repeating: .zero, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row * n + k] * x[k] }
            x[row] = sum / a[row * n + row]
        }
        return x
    }
}
