import Testing
@testable import Visage

/// What the progress bar writes to a log (standard error not a terminal) and to a terminal.
@Suite("Progress bar")
struct ProgressBarTests {
    /// A bar of `total` items that records each write.
    private final class Recorder {
        var writes: [String] = []
        func bar(total: Int, isTerminal: Bool) -> ProgressBar {
            ProgressBar("job", total: total, unit: "img", logInterval: 3600, enabled: true, isTerminal: isTerminal) {
                [self] in writes.append($0)
            }
        }
    }

    @Test func aLogGetsTheFinalLineOnce() {
        let recorder = Recorder()
        let bar = recorder.bar(total: 3, isTerminal: false)
        for _ in 0..<3 { bar.advance() }
        bar.finish()
        // The first advance draws (nothing drawn yet), the last because it completes the bar; finish adds nothing.
        #expect(recorder.writes.count == 2)
        #expect(recorder.writes.last?.hasPrefix("job [########################] 3/3 100%") == true)
        #expect(recorder.writes.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
    }

    @Test func aLogGetsANewStateAtFinish() {
        let recorder = Recorder()
        let bar = recorder.bar(total: 0, isTerminal: false)
        bar.advance()
        bar.advance()
        bar.finish()
        #expect(recorder.writes.count == 2)
        #expect(recorder.writes.last?.hasPrefix("job 2 ") == true)
        bar.status = "loss 1.5"
        bar.finish()
        #expect(recorder.writes.last?.contains("loss 1.5") == true)
    }

    @Test func aTerminalEndsTheRedrawnLineAtFinish() {
        let recorder = Recorder()
        let bar = recorder.bar(total: 2, isTerminal: true)
        bar.advance()
        bar.advance()
        bar.finish()
        #expect(recorder.writes.last?.hasPrefix("\r\u{1B}[Kjob [") == true)
        #expect(recorder.writes.last?.hasSuffix("\n") == true)
        #expect(recorder.writes.dropLast().allSatisfy { !$0.hasSuffix("\n") })
    }

    @Test("rates below one item a second read as seconds per item", arguments: [
        (12.34, "12.3 img/s"), (1.0, "1.0 img/s"), (0.25, "4.0 s/img"), (0.0, "0.0 img/s"),
    ])
    func rateText(rate: Double, expected: String) {
        #expect(ProgressBar.rateText(rate, unit: "img") == expected)
    }
}
