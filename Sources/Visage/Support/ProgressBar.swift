import Foundation

/// A terminal progress bar with rate and ETA, written to standard error.
///
/// On a terminal it redraws one line; when standard error is a file or pipe (CI, logs) it prints a plain line
/// at most every `logInterval` seconds, so logs stay readable.
public final class ProgressBar {
    public let label: String
    public let total: Int
    public private(set) var completed = 0
    /// Extra text shown after the counters, e.g. "loss 3.21".
    public var status = ""

    private let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    /// The count and status shown by the last line written, so `finish()` does not log the same state twice.
    private var drawn: (completed: Int, status: String)?
    private let isTerminal: Bool
    private let logInterval: TimeInterval
    private let enabled: Bool
    private let write: (String) -> Void

    /// - Parameters:
    ///   - total: the number of items; 0 when unknown.
    ///   - unit: what an item is called in the rate ("img", "step").
    ///   - enabled: false silences the bar (library callers that print nothing).
    public convenience init(_ label: String, total: Int, unit: String = "it", logInterval: TimeInterval = 10,
                            enabled: Bool = true) {
        self.init(label, total: total, unit: unit, logInterval: logInterval, enabled: enabled,
                  isTerminal: isatty(STDERR_FILENO) != 0) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// A bar writing its text to `write`, drawn for a terminal or for a log as `isTerminal` says.
    init(_ label: String, total: Int, unit: String, logInterval: TimeInterval, enabled: Bool, isTerminal: Bool,
         write: @escaping (String) -> Void) {
        self.label = label
        self.total = total
        self.unit = unit
        self.logInterval = logInterval
        self.enabled = enabled
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Adds `count` completed items and redraws if it is time to.
    public func advance(by count: Int = 1) {
        completed += count
        let now = Date()
        let interval = isTerminal ? 0.1 : logInterval
        if now.timeIntervalSince(lastDraw) >= interval || completed == total {
            lastDraw = now
            draw(final: false)
        }
    }

    /// Draws the final state and ends the line; in a log, only if that state is not the last line written.
    public func finish() {
        if !isTerminal, let drawn, drawn == (completed, status) { return }
        draw(final: true)
    }

    /// Items per second since the bar started.
    public var rate: Double {
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(completed) / elapsed : 0
    }

    /// `12.3 img/s`, or for fewer than one item a second `4.2 s/step`, which stays readable for slow work.
    static func rateText(_ rate: Double, unit: String) -> String {
        rate >= 1 || rate <= 0 ? String(format: "%.1f", rate) + " \(unit)/s" : String(format: "%.1f", 1 / rate) + " s/\(unit)"
    }

    /// The line the bar shows now, without terminal control characters.
    public func render() -> String {
        let elapsed = Date().timeIntervalSince(start)
        var line = label
        if total > 0 {
            let fraction = min(1, Double(completed) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            line += " \(completed)/\(total) \(String(format: "%3.0f%%", fraction * 100))"
        } else {
            line += " \(completed)"
        }
        line += " " + Self.rateText(rate, unit: unit)
        if total > 0 && completed > 0 && completed < total {
            line += " ETA " + Self.duration(elapsed / Double(completed) * Double(total - completed))
        } else {
            line += " " + Self.duration(elapsed)
        }
        if !status.isEmpty { line += " " + status }
        return line
    }

    private func draw(final: Bool) {
        guard enabled else { return }
        let line = render()
        write(isTerminal ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n")
        drawn = (completed, status)
    }

    /// "1:02:03" or "02:03".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%02d:%02d", m, s)
    }
}
