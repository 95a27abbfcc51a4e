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
            _ = defaultThreadsApplied
            return Int(ctorch_get_num_threads())
        }
        set {
            _ = defaultThreadsApplied
            ctorch_set_num_threads(Int32(max(1, newValue)))
        }
    }

    /// Applies the default thread count once per process (lazily, thread-safely, as a global `let`).
    static let defaultThreadsApplied: Void = {
        let environment = ProcessInfo.processInfo.environment["VISAGE_THREADS"].flatMap { Int($0) }
        ctorch_set_num_threads(Int32(max(1, environment ?? ProcessInfo.processInfo.activeProcessorCount)))
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
