import Foundation
import Torch
import Visage

/// Measures what the Swift binding costs: a small conv net's training step and inference in Swift against
/// the identical network in Python on the same libtorch (`Anchors/binding_overhead.py`).
public struct BindingOverheadBenchmark {
    public var threads = 2
    public var batch = 32
    public var size = 32
    public var iterations = 30
    public var rounds = 5
    public var warmup = 5

    public init() {}

    /// Median milliseconds per iteration of each measured task.
    public struct Timings: Sendable {
        public var trainStep: Double
        public var inference: Double
        public var inferenceBatch1: Double
    }

    /// Times the Swift side.
    public func measureSwift() throws -> Timings {
        Runtime.threads = threads
        Runtime.seed(0)
        let model = SmallConvNet()
        let optimizer = try SGD(model.parameters(), learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
        let images = Tensor.randn([batch, 3, size, size])
        let labels = Tensor.randint(0, 10, [batch])
        let single = Tensor.randn([1, 3, size, size])

        model.train()
        let train = BenchmarkTiming.medianMilliseconds(warmup: warmup, iterations: iterations, rounds: rounds) {
            optimizer.zeroGrad()
            let loss = Functional.crossEntropy(model(images), target: labels)
            loss.backward()
            optimizer.step()
        }
        model.eval()
        let infer = BenchmarkTiming.medianMilliseconds(warmup: warmup, iterations: iterations, rounds: rounds) {
            _ = withoutGrad { model(images) }
        }
        let infer1 = BenchmarkTiming.medianMilliseconds(warmup: warmup, iterations: iterations * 4, rounds: rounds) {
            _ = withoutGrad { model(single) }
        }
        return Timings(trainStep: train, inference: infer, inferenceBatch1: infer1)
    }

    /// Times the Python side by running its anchor script.
    public func measurePython(python: String, script: String) throws -> Timings {
        let result = try PythonAnchor.run(python: python, script: script, arguments: [
            "--threads", "\(threads)", "--batch", "\(batch)", "--size", "\(size)", "--iterations", "\(iterations)",
            "--rounds", "\(rounds)", "--warmup", "\(warmup)",
        ])
        func value(_ key: String) throws -> Double { try PythonAnchor.number(key, in: result, script: script) }
        return Timings(trainStep: try value("train_step_ms"), inference: try value("inference_ms"),
                       inferenceBatch1: try value("inference_batch1_ms"))
    }

    /// A side-by-side table; the ratio is Python's time over Swift's (above 1 means Swift is faster).
    public func report(swift: Timings, python: Timings) -> String {
        let rows: [(String, Double, Double)] = [
            ("train step, batch \(batch)", swift.trainStep, python.trainStep),
            ("inference, batch \(batch)", swift.inference, python.inference),
            ("inference, batch 1", swift.inferenceBatch1, python.inferenceBatch1),
        ]
        var lines = [
            "SmallConvNet \(size)×\(size), \(threads) threads, median of \(rounds) rounds × \(iterations) iterations",
            String(format: "%-24@ %12@ %12@ %16@", "task" as NSString, "Swift ms" as NSString,
                   "Python ms" as NSString, "Python/Swift" as NSString),
        ]
        for (task, swiftTime, pythonTime) in rows {
            lines.append(String(format: "%-24@ %12.3f %12.3f %15.3f×", task as NSString, swiftTime, pythonTime,
                                pythonTime / swiftTime))
        }
        return lines.joined(separator: "\n")
    }
}
