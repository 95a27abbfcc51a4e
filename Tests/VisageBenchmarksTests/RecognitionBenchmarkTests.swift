import Foundation
import Testing
import Visage
@testable import VisageBenchmarks

/// The recognition benchmark's reading of the Python anchor and its table (the timings are the command's business).
@Suite("Recognition benchmark")
struct RecognitionBenchmarkTests {
    @Test func theAnchorsJSONBecomesTimings() throws {
        let line = #"{"torch": "1.13.0", "threads": 2, "train_step_ms": 640.5, "inference_nchw_ms": 1280.25, "#
            + #""inference_channels_last_ms": 900.0}"#
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let timings = try RecognitionBenchmark.pythonTimings(object, script: "anchor.py")
        #expect(timings == .init(trainStep: 640.5, inference: 1280.25, inferenceChannelsLast: 900))
    }

    @Test func aMissingKeyIsNamed() {
        let error = #expect(throws: PythonAnchor.Failure.self) {
            try RecognitionBenchmark.pythonTimings(["train_step_ms": 1.0, "inference_nchw_ms": 2.0],
                                                   script: "anchor.py")
        }
        #expect(error?.description == "anchor.py did not report inference_channels_last_ms")
    }

    @Test func theReportRatesSwiftAgainstPythonPerTask() {
        var benchmark = RecognitionBenchmark()
        benchmark.trainBatch = 64
        benchmark.inferenceBatch = 256
        let report = benchmark.report(swift: .init(trainStep: 500, inference: 1000),
                                      python: .init(trainStep: 1000, inference: 2500, inferenceChannelsLast: 2000))
        let lines = report.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("MobileFaceNet 112×112, 512-D + ArcFace (1000 classes), SGD; 2 threads"))
        #expect(lines[2].hasPrefix("train step, batch 64"))
        #expect(lines[2].hasSuffix("128.0          64.0         2.00×  ≥ 1.0×"))
        #expect(lines[3].hasSuffix("256.0         102.4         2.50×  ≥ 2.0×"))
        #expect(lines[4].hasSuffix("256.0         128.0         2.00×"))
    }

    @Test func pythonKeepingFreedMemoryAddsItsOwnRows() {
        let benchmark = RecognitionBenchmark()
        let report = benchmark.report(
            swift: .init(trainStep: 500, inference: 1000),
            python: .init(trainStep: 1000, inference: 2500, inferenceChannelsLast: 2000),
            pythonKeepingFreedMemory: .init(trainStep: 800, inference: 1600, inferenceChannelsLast: 1280))
        let lines = report.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[5].hasPrefix("train step, Python keeping freed memory") && lines[5].hasSuffix("80.0         1.60×"))
        #expect(lines[6].hasPrefix("inference, Python NCHW keeping memory") && lines[6].hasSuffix("160.0         1.60×"))
        #expect(lines[7].hasPrefix("inference, Python NHWC keeping memory") && lines[7].hasSuffix("200.0         1.28×"))
    }
}
