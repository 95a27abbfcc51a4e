import Foundation
import Synchronization

/// Counts the multiply-accumulates of the convolution and fully connected layers run on this thread inside
/// ``record(_:)``, for model profiling.
///
/// ``Conv2d`` reports `outputElements · inChannels / groups · kH · kW` and ``Linear`` reports
/// `outputElements · inFeatures`; biases, normalization, activations, pooling and additions are not counted.
/// Outside a recording the layers pay one relaxed atomic load per call.
///
/// ```swift
/// let counter = FLOPCounter()
/// counter.record { _ = model(Tensor.zeros([1, 3, 112, 112])) }
/// print(counter.multiplyAccumulates)
/// ```
public final class FLOPCounter {
    /// Multiply-accumulates reported so far.
    public private(set) var multiplyAccumulates = 0

    /// Number of recordings in progress on any thread; layers look at the thread's counter only when positive.
    private static let activeRecordings = Atomic<Int>(0)
    private static let key = "visage.torch.flop-counter"

    /// A counter at zero.
    public init() {}

    /// Runs `body` with this counter receiving the reports of layers run on this thread; a recording already
    /// in progress on the thread resumes afterwards.
    public func record<Result>(_ body: () throws -> Result) rethrows -> Result {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[Self.key]
        dictionary[Self.key] = self
        Self.activeRecordings.add(1, ordering: .relaxed)
        defer {
            Self.activeRecordings.subtract(1, ordering: .relaxed)
            dictionary[Self.key] = previous
        }
        return try body()
    }

    /// Adds `count` multiply-accumulates to this thread's recording counter, if there is one; `count` is
    /// evaluated only then.
    static func report(multiplyAccumulates count: @autoclosure () -> Int) {
        guard activeRecordings.load(ordering: .relaxed) > 0,
              let counter = Thread.current.threadDictionary[key] as? FLOPCounter
        else { return }
        counter.multiplyAccumulates += count()
    }
}
