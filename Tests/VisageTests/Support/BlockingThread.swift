import Foundation

/// Runs `body` on a thread of its own and awaits its result, so that blocking work (a rank's collectives, which
/// wait for a child process) leaves the test's executor free to run the child.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
