import Foundation
import Testing

@testable import Torch

/// A fresh folder under the system's temporary directory, removed when `body` returns.
func withTemporaryFolder<R>(_ body: (URL) throws -> R) throws -> R {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("torch-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Whether `actual` and `expected` agree elementwise within `tolerance`.
func isClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance }
}

/// Copies `values` into `tensor` in place without recording gradients.
func assign(_ tensor: Tensor?, _ values: [Float]) throws {
    guard let tensor else { Issue.record("no tensor to assign to"); return }
    let source = try Tensor(values, shape: tensor.shape)
    withoutGrad { _ = tensor.copy_(source) }
}
