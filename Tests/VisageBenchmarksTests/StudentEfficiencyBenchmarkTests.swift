import Testing
import Torch
import Visage
@testable import VisageBenchmarks

/// The efficiency table's activation memory (issue 14 defect 9: it read 0.000 MB/face for every network).
@Suite("Student efficiency benchmark")
struct StudentEfficiencyBenchmarkTests {
    /// The student at 16 and 32 px (four times the activations), batch 64, one short timed round.
    static func rows() throws -> [StudentEfficiencyBenchmark.Row] {
        var benchmark = StudentEfficiencyBenchmark()
        benchmark.resolutions = [16, 32]
        benchmark.reference = nil
        benchmark.batchSizes = [64]
        benchmark.rounds = 1
        benchmark.secondsPerRound = 0.01
        return try benchmark.run()
    }

    @Test("activations are measured after the timed rounds and scale with the input area")
    func activationsScaleWithArea() throws {
        let rows = try Self.rows()
        #expect(rows.map(\.name) == ["S-16", "S-32"])
        // At least the input image itself (3 × side² floats) passes through the network.
        #expect(rows[0].activationBytesPerFace >= Double(3 * 16 * 16 * 4))
        #expect(rows[1].activationBytesPerFace >= 3 * rows[0].activationBytesPerFace,
                "S-16 \(rows[0].activationBytesPerFace) B, S-32 \(rows[1].activationBytesPerFace) B per face")
        #expect(StudentEfficiencyBenchmark().report(rows).contains("| 0.000 |") == false)
    }
}
