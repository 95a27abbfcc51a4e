import CTorch

/// The operators a block of code ran, as libtorch's profiler (the legacy CPU profiler of libtorch 1.13)
/// recorded them on the calling thread: top-level operators only (those the caller invoked, not the kernels
/// they dispatched to), each with its wall time, input shapes and the bytes libtorch's allocator handed it.
public struct OperatorProfile: Sendable {
    /// One operator call.
    public struct Call: Sendable, Equatable {
        /// The operator's schema name, e.g. `aten::conv2d`.
        public var name: String
        /// Wall microseconds of the call, its nested operators included.
        public var microseconds: Double
        /// Input shapes in argument order; empty for a non-tensor argument.
        public var inputShapes: [[Int]]
        /// Bytes libtorch's CPU allocator handed out on this thread during the call (outputs and scratch).
        public var allocatedBytes: Int

        /// A call with these figures.
        public init(name: String, microseconds: Double, inputShapes: [[Int]], allocatedBytes: Int) {
            (self.name, self.microseconds, self.inputShapes, self.allocatedBytes) =
                (name, microseconds, inputShapes, allocatedBytes)
        }
    }

    /// The calls, in order.
    public var calls: [Call]

    /// A profile of these calls.
    public init(calls: [Call]) {
        self.calls = calls
    }

    /// Profiles `body`. The profiler adds a few microseconds per operator, so time short calls without it.
    /// - Throws: ``TorchError`` when libtorch's profiler cannot start (already running on this thread) or stop;
    ///   rethrows what `body` throws.
    public static func record(_ body: () throws -> Void) throws -> OperatorProfile {
        _ = Runtime.defaultsApplied
        var message: UnsafeMutablePointer<CChar>?
        guard ctorch_profiler_start(&message) == 0 else { throw takeError(message) }
        var bodyError: (any Error)?
        do { try body() } catch { bodyError = error }
        guard let profile = ctorch_profiler_stop(&message) else { throw takeError(message) }
        defer { ctorch_profile_free(profile) }
        if let bodyError { throw bodyError }
        var calls: [Call] = []
        for index in 0..<ctorch_profile_count(profile) {
            let shapes = (0..<ctorch_profile_input_count(profile, index)).map { input -> [Int] in
                var sizes = [Int64](repeating: 0, count: 8)
                let rank = Int(ctorch_profile_input_shape(profile, index, input, &sizes, 8))
                return sizes.prefix(min(rank, 8)).map(Int.init)
            }
            calls.append(Call(name: String(cString: ctorch_profile_name(profile, index)),
                              microseconds: ctorch_profile_microseconds(profile, index), inputShapes: shapes,
                              allocatedBytes: Int(ctorch_profile_allocated_bytes(profile, index))))
        }
        return OperatorProfile(calls: calls)
    }
}
