import CTorch

/// The CPU's measured fp32 arithmetic peak: a loop of fused multiply-adds in the widest vectors it has
/// (AVX-512F, else AVX2 + FMA, else scalar), `CTORCH_FMA_ACCUMULATORS` independent accumulators per thread so
/// no FMA waits on the one before, run on every thread at once.
public struct FMAPeak: Sendable, Equatable {
    /// fp32 lanes per FMA instruction: 16, 8 or 1.
    public var lanes: Int
    /// Threads that ran the loop together.
    public var threads: Int
    /// Loop iterations per thread.
    public var iterations: Int
    /// Wall seconds from the threads' common start to the last one's end.
    public var seconds: Double
    /// Lane 0 of thread 0's accumulators summed in order, for checking the loop ran as counted.
    public var laneValue: Float

    /// Independent accumulators per thread.
    public static let accumulators = Int(CTORCH_FMA_ACCUMULATORS)

    /// fp32 lanes of this CPU's widest FMA vector.
    public static var vectorLanes: Int { Int(ctorch_fma_vector_lanes()) }

    /// FLOPs the loop does: 2 × lanes × accumulators × iterations × threads.
    public static func flops(lanes: Int, threads: Int, iterations: Int) -> Double {
        ctorch_fma_loop_flops(Int32(lanes), Int32(threads), Int64(iterations))
    }

    /// FLOPs this run did.
    public var flops: Double { Self.flops(lanes: lanes, threads: threads, iterations: iterations) }

    /// FLOPs per second.
    public var flopsPerSecond: Double { flops / seconds }

    /// Runs the loop `iterations` times on `threads` threads in `lanes` lanes (default: the widest).
    /// - Throws: ``TorchError`` for a non-positive count or lanes this CPU does not have (1, 8, 16).
    public static func measure(threads: Int, iterations: Int, lanes: Int = vectorLanes) throws -> FMAPeak {
        var value: Float = 0
        var message: UnsafeMutablePointer<CChar>?
        let seconds = ctorch_fma_peak(Int32(clamping: lanes), Int32(clamping: threads), Int64(iterations), &value,
                                      &message)
        guard seconds >= 0 else { throw takeError(message) }
        return FMAPeak(lanes: lanes, threads: threads, iterations: iterations, seconds: seconds, laneValue: value)
    }

    /// What ``laneValue`` must be after `iterations`: the loop's recurrence replayed in scalar fused
    /// multiply-adds, its accumulators (all equal) summed in the loop's order.
    public static func expectedLaneValue(iterations: Int) -> Float {
        var accumulator: Float = 0
        for _ in 0..<iterations { accumulator = Float(1e-6).addingProduct(accumulator, 0.999999) }
        var sum = accumulator
        for _ in 1..<accumulators { sum += accumulator }
        return sum
    }
}
