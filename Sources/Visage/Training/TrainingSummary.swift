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

extension TrainingSummary: CustomStringConvertible {
    /// A few lines for people: steps, time, rate, final losses and validation figures.
    public var description: String {
        func figures(_ values: [String: Double]) -> String {
            values.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.4f", $0.value) }.joined(separator: ", ")
        }
        var lines = [String(format: "trained steps %d–%d in %.0f s (%.1f images/s)", startStep, steps, seconds,
                            imagesPerSecond)]
        if !losses.isEmpty { lines.append("final losses: " + figures(losses)) }
        if !validation.isEmpty { lines.append("validation: " + figures(validation)) }
        lines.append("checkpoint: \(checkpoint.path)")
        return lines.joined(separator: "\n")
    }
}
