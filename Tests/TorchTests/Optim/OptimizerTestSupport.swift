import Testing
@testable import Torch

/// A leaf tensor that requires gradients, holding `values`.
func makeParameter<Element: TensorElement>(_ values: [Element], shape: [Int]? = nil) -> Tensor {
    let tensor = try! Tensor(values, shape: shape ?? [values.count])
    return tensor.requiresGrad(true)
}

/// Sets `parameter`'s gradient to `values` (in the parameter's shape).
func setGradient<Element: TensorElement>(_ parameter: Tensor, _ values: [Element]) {
    parameter.grad = try! Tensor(values, shape: parameter.shape)
}

/// Expects `actual` to equal `expected` element by element within `tolerance` (absolute).
func expectClose(
    _ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        #expect(abs(a - e) <= tolerance, "element \(index): \(a) vs \(e)", sourceLocation: sourceLocation)
    }
}
