import CTorch
import Foundation

/// Process-wide libtorch settings.
public enum Runtime {
    /// Number of intra-op threads libtorch's kernels use.
    ///
    /// Debian's libtorch starts with one thread. Before the first operation this is set to `VISAGE_THREADS`
    /// if given, else to the number of available cores; assigning it overrides that.
    public static var threads: Int {
        get {
            _ = defaultsApplied
            return Int(ctorch_get_num_threads())
        }
        set {
            _ = defaultsApplied
            ctorch_set_num_threads(Int32(max(1, newValue)))
        }
    }

    /// Whether freed tensor memory is kept for reuse (set before the first operation).
    ///
    /// glibc maps fresh pages for every block above 32 MiB and unmaps them when it is freed, so each large
    /// tensor a network produces (100 MB for 64 faces at 56×56×128) page-faults all of its memory in again:
    /// measured here, that made out-of-place elementwise ops 4–6× and a MobileFaceNet forward pass 2× slower.
    /// Visage therefore tells glibc to serve such blocks from its heap and keep them
    /// (`ctorch_malloc_keep_freed_memory`); the price is that the process keeps its peak memory until it
    /// exits. `VISAGE_MALLOC=system` leaves glibc's defaults alone. The setting covers the threads that allocate
    /// for the first time after it (see ``applyDefaults()``).
    public static var keepsFreedMemory: Bool { defaultsApplied }

    /// Applies the defaults now rather than at the first tensor operation. A program calls it first thing on its
    /// main thread: glibc gives a thread its own memory arena at its first allocation, and only threads that first
    /// allocate after this share the arena that keeps freed memory. Without it, a command run on a thread of
    /// Swift's concurrency pool had 100 MB tensors mapped and page-faulted in on every use (MobileFaceNet at
    /// batch 64: 57 against 77 faces/s, one thread).
    public static func applyDefaults() { _ = defaultsApplied }

    /// Applies the default thread count and allocator settings once per process (lazily, thread-safely, as a
    /// global `let`); its value is ``keepsFreedMemory``.
    static let defaultsApplied: Bool = {
        let environment = ProcessInfo.processInfo.environment
        ctorch_set_num_threads(Int32(max(1, environment["VISAGE_THREADS"].flatMap { Int($0) }
            ?? ProcessInfo.processInfo.activeProcessorCount)))
        return environment["VISAGE_MALLOC"] == "system" ? false : ctorch_malloc_keep_freed_memory()
    }()

    /// Seeds libtorch's random number generator (rand, randn, dropout, initializers).
    public static func seed(_ seed: UInt64) {
        ctorch_manual_seed(seed)
    }

    /// A copy of libtorch's random-generator state (PyTorch's `torch.get_rng_state()`): a 1-D uint8 tensor
    /// that ``setRandomState(_:)`` restores, so a resumed run draws the same dropout masks as an uninterrupted one.
    public static var randomState: Tensor {
        var error: UnsafeMutablePointer<CChar>?
        guard let pointer = ctorch_rng_get_state(&error) else {
            fatalError("libtorch could not copy its generator state: \(takeError(error))")
        }
        return Tensor(taking: pointer)
    }

    /// Restores a state taken from ``randomState`` (PyTorch's `torch.set_rng_state()`); throws, leaving the
    /// generator unchanged, if `state` is not such a state (wrong dtype or size).
    public static func setRandomState(_ state: Tensor) throws(TorchError) {
        var error: UnsafeMutablePointer<CChar>?
        guard ctorch_rng_set_state(state.handle.pointer, &error) == 0 else { throw takeError(error) }
    }

    /// The libtorch version the shim was built against.
    public static var libtorchVersion: String { String(cString: ctorch_version()) }
}
