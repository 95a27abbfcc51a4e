import Foundation

/// A collective call of a ``ProcessGroup`` that failed: a member died (its connection broke), stopped answering
/// within the timeout, never arrived, or the call's tensors were unusable.
public struct ProcessGroupError: Error, CustomStringConvertible {
    /// The rank of the process that reports the failure.
    public var rank: Int
    /// The size of its group.
    public var worldSize: Int
    /// What it was doing ("all-reduce (sum) of [1024]").
    public var operation: String
    /// Gloo's or c10d's own message, which names the peer address when a connection broke.
    public var message: String
    /// How long the call ran before failing, in seconds (nil for a check before any call).
    public var seconds: Double?
    /// The group's timeout, in seconds.
    public var timeout: Double?

    public init(rank: Int, worldSize: Int, operation: String, message: String, seconds: Double? = nil,
                timeout: Double? = nil) {
        self.rank = rank
        self.worldSize = worldSize
        self.operation = operation
        self.message = message
        self.seconds = seconds
        self.timeout = timeout
    }

    public var description: String {
        var text = "rank \(rank) of \(worldSize): \(operation) failed"
        if let seconds { text += String(format: " after %.1f s", seconds) }
        let lowered = message.lowercased()
        if let timeout, ["timed out", "timeout", "connection", "read error", "write error", "socket"].contains(where: lowered.contains) {
            text += String(format: " (another rank died, or did not answer within the %g s timeout)", timeout)
        }
        return text + ": \(message)"
    }
}
