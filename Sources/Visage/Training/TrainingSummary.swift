import Foundation

/// What a finished ``Trainer/run(resume:)`` did.
public struct TrainingSummary: Sendable, Equatable {
    /// Steps completed in total (the run's length).
    public var steps: Int
    /// The step this session started from: 0 for a fresh run, the checkpoint's for a resumed one.
    public var startStep: Int
    /// Each loss's mean over the last log window.
    public var losses: [String: Double]
    /// The results of the last validation (empty without a validation closure).
    public var validation: [String: Double]
    /// The final checkpoint's folder.
    public var checkpoint: URL
    /// Wall-clock seconds of this session.
    public var seconds: Double
    /// Training images per second in this session.
    public var imagesPerSecond: Double
}
