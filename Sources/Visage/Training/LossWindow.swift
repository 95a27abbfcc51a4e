/// Running sums of the losses between two log lines, whose means become the next line.
public struct LossWindow: Codable, Sendable, Equatable {
    /// Steps added since the last reset.
    public private(set) var steps = 0
    /// Samples seen in those steps.
    public private(set) var samples = 0
    /// Each loss summed over those steps.
    public private(set) var sums: [String: Double] = [:]

    /// An empty window.
    public init() {}

    /// Adds one step's losses and sample count.
    mutating func add(_ losses: [String: Double], samples count: Int) {
        steps += 1
        samples += count
        for (name, value) in losses {
            sums[name, default: 0] += value
        }
    }

    /// Each loss's mean over the window (empty for an empty window).
    var means: [String: Double] {
        steps == 0 ? [:] : sums.mapValues { $0 / Double(steps) }
    }
}
