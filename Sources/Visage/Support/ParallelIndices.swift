import Dispatch
import Synchronization

/// Runs `body` for every index of `0..<count` on `threads` threads, a few indices per thread at a time, calling
/// `advance` on the calling thread after each chunk with the number of indices it finished (for a progress bar).
/// Stops after the chunk in which the first error was thrown, and rethrows that error.
func forEachIndexInParallel(
    _ count: Int, threads: Int, advance: (Int) -> Void = { _ in }, _ body: @Sendable (Int) throws -> Void
) throws {
    let threads = max(1, threads)
    let failure = Mutex<(any Error)?>(nil)
    let chunk = threads * 8
    for start in stride(from: 0, to: count, by: chunk) {
        let end = min(start + chunk, count)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: start + thread, to: end, by: threads) {
                do { try body(index) } catch { failure.withLock { if $0 == nil { $0 = error } } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        advance(end - start)
    }
}
