import Foundation
import Testing
import Visage
@testable import VisageBenchmarks

/// The transform benchmark's networks and table (the timings are the command's business).
@Suite("Feature transform benchmark")
struct FeatureTransformBenchmarkTests {
    @Test func theFCBaselineHasR3ANsSize() {
        let r3an = FeatureTransformBenchmark.freshR3AN(sourceDimension: 32, targetDimension: 8)
        let fc = FeatureTransformBenchmark.equalSizeFC(sourceDimension: 32, targetDimension: 8)
        #expect(r3an.name == "R³AN 32→8" && fc.name == "FC 32→8")
        let (a, b) = (r3an.transformer.module.parameterCount, fc.transformer.module.parameterCount)
        #expect(abs(a - b) < a / 100)
    }

    @Test func aTinyRunGivesOneRowPerNetworkAndTheReferenceLast() throws {
        var benchmark = FeatureTransformBenchmark(transformers: [
            FeatureTransformBenchmark.freshR3AN(sourceDimension: 8, targetDimension: 4),
            FeatureTransformBenchmark.equalSizeFC(sourceDimension: 8, targetDimension: 4),
        ])
        benchmark.reference = .bridgeStudent
        benchmark.batch = 2
        benchmark.rounds = 1
        let rows = try benchmark.run()
        #expect(rows.map(\.name) == ["R³AN 8→4", "FC 8→4", "bridge-student"])
        #expect(rows.map(\.isReference) == [false, false, true])
        #expect(rows.map(\.input) == ["8-D features", "8-D features", "16×16 faces"])
        #expect(rows.allSatisfy { $0.featuresPerSecond > 0 && $0.featuresPerSecond.isFinite })
    }

    @Test func theReportRatesEveryNetworkAgainstTheReference() {
        var benchmark = FeatureTransformBenchmark(transformers: [])
        benchmark.batch = 256
        benchmark.rounds = 3
        let report = benchmark.report([
            .init(name: "R³AN 512→128", input: "512-D features", outputDimension: 128, parameters: 1000,
                  featuresPerSecond: 300),
            .init(name: "iresnet50", input: "112×112 faces", outputDimension: 512, parameters: 43_000_000,
                  featuresPerSecond: 12, isReference: true),
        ])
        let lines = report.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("features/s, batch 256, median of 3 calls after one untimed call, 2 threads"))
        #expect(lines[0].hasSuffix("anchors in this run (no Python anchor): iresnet50"))
        #expect(lines[1].hasSuffix("× iresnet50"))
        #expect(lines[2].hasPrefix("R³AN 512→128") && lines[2].hasSuffix("300.0         25.0×"))
        #expect(lines[3].hasPrefix("iresnet50") && lines[3].hasSuffix("12.0          1.0×"))
    }

    @Test func withAnEngineFromPhotosEveryRowIsRatedAgainstBothAnchors() {
        let report = FeatureTransformBenchmark(transformers: []).report([
            .init(name: "linear 128→128", input: "128-D features", outputDimension: 128, parameters: 16_512,
                  featuresPerSecond: 800),
            .init(name: "iresnet50", input: "112×112 faces", outputDimension: 512, parameters: 43_000_000,
                  featuresPerSecond: 10, isReference: true),
            .init(name: "dlib-resnet from photos", input: "12 photos", outputDimension: 128, parameters: 5_614_592,
                  featuresPerSecond: 40, isReference: true),
        ])
        let lines = report.split(separator: "\n")
        #expect(lines[0].hasSuffix("anchors in this run (no Python anchor): iresnet50, dlib-resnet from photos"))
        #expect(lines[1].hasSuffix("× iresnet50  × dlib-resnet from photos"))
        #expect(lines[2].hasPrefix("linear 128→128") && lines[2].hasSuffix("20.0×") && lines[2].contains(" 80.0× "))
        #expect(lines[4].hasPrefix("dlib-resnet from photos") && lines[4].hasSuffix("1.0×") && lines[4].contains(" 4.0× "))
    }
}
