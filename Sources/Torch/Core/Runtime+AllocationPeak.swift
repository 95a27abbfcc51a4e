import CTorch

extension Runtime {
    /// The most tensor memory `body` held at once beyond what existed before it, in bytes.
    ///
    /// libtorch's CPU allocator reports every block it hands out and takes back on this thread while `body` runs
    /// (its memory-profiling hook), so the figure is the same on a first and a repeated call and does not depend
    /// on what malloc keeps or returns to the system (Visage keeps freed memory, see ``keepsFreedMemory``, which
    /// hides activations from the process's resident-set peak). Blocks allocated inside kernels' worker threads
    /// and memory outside libtorch's allocator (oneDNN scratch space) are not counted.
    /// - Throws: ``TorchError`` when libtorch cannot install the hook; rethrows what `body` throws.
    public static func peakAllocatedBytes(during body: () throws -> Void) throws -> Int {
        _ = defaultsApplied
        final class Call {
            let body: () throws -> Void
            var error: (any Error)?
            init(_ body: @escaping () throws -> Void) { self.body = body }
        }
        return try withoutActuallyEscaping(body) { body in
            let call = Call(body)
            var message: UnsafeMutablePointer<CChar>?
            let bytes = ctorch_peak_allocated_bytes({ context in
                let call = Unmanaged<Call>.fromOpaque(context!).takeUnretainedValue()
                do { try call.body() } catch { call.error = error }
            }, Unmanaged.passUnretained(call).toOpaque(), &message)
            if let error = call.error { throw error }
            guard bytes >= 0 else { throw takeError(message) }
            return Int(bytes)
        }
    }
}
