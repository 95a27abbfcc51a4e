import Foundation
import CTorch

/// An error reported by libtorch or by the Torch layer, carrying libtorch's own message.
public struct TorchError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, e.g. "aten::mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)".
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// Reports this error as a failing operator does: recorded by the innermost ``withTorchErrors`` scope of
    /// this thread (later operations yield placeholders), or stopping the program outside one. For code that
    /// stands in for operators behind a non-throwing interface, such as a module's `forward`.
    public func report() { ErrorScope.report(self) }
}

/// Runs `body`, turning any libtorch failure inside it into a thrown ``TorchError``.
///
/// Tensor operators and methods do not throw, so arithmetic reads like PyTorch. Outside this scope a libtorch
/// failure (a shape mismatch, say) stops the program with libtorch's message. Inside it, the first failure is
/// recorded, later operations run on placeholder (undefined) tensors without further effect, and the error is
/// thrown when `body` returns. Wrap anything whose shapes come from user data:
///
/// ```swift
/// let scores = try withTorchErrors { probe.matmul(gallery.transposed()) }
/// ```
public func withTorchErrors<Result>(_ body: () throws -> Result) throws -> Result {
    let scope = ErrorScope.push()
    defer { ErrorScope.pop(scope) }
    let result = try body()
    if let error = scope.firstError {
        throw error
    }
    return result
}

/// The per-thread stack of ``withTorchErrors`` scopes.
final class ErrorScope {
    var firstError: TorchError?

    private static let key = "visage.torch.error-scopes"

    private static var stack: [ErrorScope] {
        get { Thread.current.threadDictionary[key] as? [ErrorScope] ?? [] }
        set { Thread.current.threadDictionary[key] = newValue }
    }

    static func push() -> ErrorScope {
        let scope = ErrorScope()
        stack.append(scope)
        return scope
    }

    static func pop(_ scope: ErrorScope) {
        var scopes = stack
        if let index = scopes.lastIndex(where: { $0 === scope }) {
            scopes.remove(at: index)
        }
        stack = scopes
    }

    /// Records `error` in the innermost scope of this thread, or stops the program if there is none.
    static func report(_ error: TorchError) {
        guard let scope = stack.last else {
            fatalError("libtorch: \(error.message)")
        }
        if scope.firstError == nil {
            scope.firstError = error
        }
    }
}

/// Converts a message returned through a shim `error` out-parameter into a ``TorchError`` and frees it.
func takeError(_ message: UnsafeMutablePointer<CChar>?, fallback: String = "unknown libtorch error") -> TorchError {
    guard let message else { return TorchError(fallback) }
    defer { ctorch_string_free(message) }
    return TorchError(String(cString: message))
}
