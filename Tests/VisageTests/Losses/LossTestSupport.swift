import Testing
import Torch

/// Expects `actual`'s elements (any float dtype) to equal `expected` within `tolerance` each, absolute.
func expectClose(
    _ actual: Tensor?, _ expected: [Double], tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected a tensor, got nil", sourceLocation: sourceLocation)
        return
    }
    let values = actual.to(.float64).array(of: Double.self)
    #expect(values.count == expected.count, "got \(values.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    for (index, (value, reference)) in zip(values, expected).enumerated() {
        #expect(abs(value - reference) <= tolerance, "element \(index): \(value) vs \(reference)",
            sourceLocation: sourceLocation)
    }
}

/// Whether every element of `tensor` is finite.
func isAllFinite(_ tensor: Tensor) -> Bool {
    tensor.isfinite().all().item != 0
}
