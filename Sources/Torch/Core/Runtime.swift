import CTorch
import Foundation

/// Process-wide libtorch settings.
public enum Runtime {
    /// Number of intra-op threads libtorch's kernels use.
    ///
    /// Debian's libtorch starts with one; ``configureThreads(_:)`` (called by Visage's entry points) raises it
    /// to the number of available cores unless `VISAGE_THREADS` says otherwise.
    public static var threads: Int {
        get { Int(ctorch_get_num_threads()) }
        set { ctorch_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Sets the thread count to `count`, or else to `VISAGE_THREADS`, or else to the active processor count.
    public static func configureThreads(_ count: Int? = nil) {
        if let count {
            threads = count
        } else if let text = ProcessInfo.processInfo.environment["VISAGE_THREADS"], let value = Int(text) {
            threads = value
        } else {
            threads = ProcessInfo.processInfo.activeProcessorCount
        }
    }

    /// Seeds libtorch's random number generator (rand, randn, dropout, initializers).
    public static func seed(_ seed: UInt64) {
        ctorch_manual_seed(seed)
    }

    /// The libtorch version the shim was built against.
    public static var libtorchVersion: String { String(cString: ctorch_version()) }
}
