import Testing
@testable import Torch

/// The FMA peak loop counts what it runs, and runs what it counts.
@Suite("FMA peak loop")
struct FMAPeakTests {
    @Test func theFLOPCountOfAWorkedCase() {
        // AVX-512: 16 lanes × 12 accumulators × 2 FLOPs (multiply + add) × 1000 iterations × 2 threads.
        #expect(FMAPeak.flops(lanes: 16, threads: 2, iterations: 1000) == 768_000)
        #expect(FMAPeak.flops(lanes: 8, threads: 1, iterations: 10) == 1920)
        #expect(FMAPeak.accumulators == 12)
    }

    @Test func everyVectorWidthComputesTheRecurrenceExactly() throws {
        #expect([1, 8, 16].contains(FMAPeak.vectorLanes))
        for lanes in [1, 8, 16] where lanes <= FMAPeak.vectorLanes {
            let peak = try FMAPeak.measure(threads: 2, iterations: 1000, lanes: lanes)
            #expect(peak.laneValue == FMAPeak.expectedLaneValue(iterations: 1000), "\(lanes) lanes")
            #expect(peak.laneValue != FMAPeak.expectedLaneValue(iterations: 999))
            #expect(peak.flops == FMAPeak.flops(lanes: lanes, threads: 2, iterations: 1000))
            #expect(peak.seconds > 0 && peak.flopsPerSecond.isFinite)
        }
    }

    @Test func badCountsAndWidthsThrow() {
        #expect(throws: TorchError.self) { try FMAPeak.measure(threads: 0, iterations: 10) }
        #expect(throws: TorchError.self) { try FMAPeak.measure(threads: 1, iterations: 0) }
        #expect(throws: TorchError.self) { try FMAPeak.measure(threads: 1, iterations: 10, lanes: 4) }
        #expect(throws: TorchError.self) { try FMAPeak.measure(threads: 1, iterations: 10, lanes: 32) }
    }
}

/// libtorch's profiler as ``OperatorProfile`` reports it.
@Suite("Operator profile")
struct OperatorProfileTests {
    @Test func topLevelOperatorsWithShapesAndAllocations() throws {
        let input = Tensor.randn([2, 3, 8, 8])
        let weight = Tensor.randn([4, 3, 3, 3])
        let profile = try OperatorProfile.record {
            _ = Functional.relu(Functional.conv2d(input, weight: weight, bias: nil, padding: [1, 1]))
        }
        let names = profile.calls.map(\.name)
        #expect(names == ["aten::conv2d", "aten::relu"])
        #expect(profile.calls[0].inputShapes.prefix(2) == [[2, 3, 8, 8], [4, 3, 3, 3]])
        // The convolution's output, 2 × 4 × 8 × 8 floats, at least.
        #expect(profile.calls[0].allocatedBytes >= 2 * 4 * 8 * 8 * 4)
        #expect(profile.calls.allSatisfy { $0.microseconds > 0 })
    }
}
