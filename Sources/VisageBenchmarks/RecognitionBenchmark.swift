import Foundation
import Torch
import Visage

/// Measures face-recognition training and inference speed: MobileFaceNet (112×112, 512-D) with an ArcFace head,
/// trained by SGD, in Swift against the same network and head in Python on the same libtorch
/// (`Anchors/recognition_step.py`).
///
/// Swift's inference runs the network as ``BackboneArchitecture/preparedForInference(_:)`` leaves it (batch
/// normalization folded, channels-last where preferred); Python's runs plain NCHW evaluation, and channels-last
/// as a second figure. Python runs twice: as installed, and with glibc told to keep freed memory as Visage's
/// ``Runtime/keepsFreedMemory`` does (`MALLOC_MMAP_MAX_=0`), so the table separates what the allocator setting
/// brings from what the rest of Visage's inference path brings.
public struct RecognitionBenchmark {
    /// libtorch threads on both sides.
    public var threads = 2
    /// Images per training step.
    public var trainBatch = 64
    /// Images per inference call.
    public var inferenceBatch = 256
    /// Identities of the ArcFace head.
    public var classes = 1000
    /// Embedding size.
    public var embeddingSize = 512
    /// Timed calls per round.
    public var iterations = 3
    /// Timed rounds; the median round is reported.
    public var rounds = 3
    /// Untimed calls before the rounds.
    public var warmup = 2

    /// The default benchmark: training batch 64, inference batch 256, 1000 classes, 2 threads.
    public init() {}

    /// Median milliseconds per call of each measured task.
    public struct Timings: Sendable, Equatable {
        /// One SGD training step (forward, ArcFace loss, backward, update) of ``RecognitionBenchmark/trainBatch``.
        public var trainStep: Double
        /// One inference call of ``RecognitionBenchmark/inferenceBatch``: Swift's prepared network, Python's plain
        /// NCHW evaluation.
        public var inference: Double
        /// Python's inference with channels-last weights and inputs; nil for Swift.
        public var inferenceChannelsLast: Double?

        /// Timings from their milliseconds.
        public init(trainStep: Double, inference: Double, inferenceChannelsLast: Double? = nil) {
            self.trainStep = trainStep
            self.inference = inference
            self.inferenceChannelsLast = inferenceChannelsLast
        }
    }

    /// Times the Swift side.
    public func measureSwift() throws -> Timings {
        Runtime.threads = threads
        Runtime.seed(0)
        let architecture = BackboneArchitecture.mobileFaceNet
        let model = architecture.make(embeddingSize: embeddingSize)
        let head = MarginSoftmax(embeddingSize: embeddingSize, classes: classes, kind: .arcFace())
        let optimizer = try SGD(model.parameters() + head.parameters(), learningRate: 0.01, momentum: 0.9,
                                weightDecay: 5e-4)
        let images = Tensor.randn([trainBatch, 3, 112, 112])
        let labels = Tensor.randint(0, classes, [trainBatch])
        var faces = Tensor.randn([inferenceBatch, 3, 112, 112])

        model.train()
        head.train()
        let train = try withTorchErrors {
            BenchmarkTiming.medianMilliseconds(warmup: warmup, iterations: iterations, rounds: rounds) {
                optimizer.zeroGrad()
                head.loss(model(images), labels: labels).backward()
                optimizer.step()
            }
        }
        model.eval()
        architecture.preparedForInference(model)
        faces = architecture.inferenceInput(faces)
        let infer = try withTorchErrors {
            withoutGrad {
                BenchmarkTiming.medianMilliseconds(warmup: warmup, iterations: iterations, rounds: rounds) {
                    _ = model(faces)
                }
            }
        }
        return Timings(trainStep: train, inference: infer)
    }

    /// The arguments the Python anchor takes for this configuration.
    public var pythonArguments: [String] {
        [
            "--threads", "\(threads)", "--train-batch", "\(trainBatch)", "--inference-batch", "\(inferenceBatch)",
            "--classes", "\(classes)", "--embedding-size", "\(embeddingSize)", "--iterations", "\(iterations)",
            "--rounds", "\(rounds)", "--warmup", "\(warmup)",
        ]
    }

    /// glibc's environment settings equivalent to ``Runtime/keepsFreedMemory``: no mmap for large blocks, no trim.
    public static let keepFreedMemoryEnvironment = ["MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": "2147483647"]

    /// Times the Python side by running its anchor script; with `keepingFreedMemory`, under
    /// ``keepFreedMemoryEnvironment``.
    public func measurePython(python: String, script: String, keepingFreedMemory: Bool = false) throws -> Timings {
        let result = try PythonAnchor.run(python: python, script: script, arguments: pythonArguments,
                                          environment: keepingFreedMemory ? Self.keepFreedMemoryEnvironment : [:])
        return try Self.pythonTimings(result, script: script)
    }

    /// The timings in the anchor's JSON object (`train_step_ms`, `inference_nchw_ms`,
    /// `inference_channels_last_ms`).
    ///
    /// - Throws: ``PythonAnchor/Failure`` naming `script` and the first missing or non-numeric key.
    public static func pythonTimings(_ result: [String: Any], script: String) throws -> Timings {
        func value(_ key: String) throws -> Double { try PythonAnchor.number(key, in: result, script: script) }
        return Timings(trainStep: try value("train_step_ms"), inference: try value("inference_nchw_ms"),
                       inferenceChannelsLast: try value("inference_channels_last_ms"))
    }

    /// A side-by-side table of images per second; the ratio is Swift's rate over Python's, next to the goal.
    /// `pythonKeepingFreedMemory` adds rows against Python run with glibc keeping freed memory.
    public func report(swift: Timings, python: Timings, pythonKeepingFreedMemory: Timings? = nil) -> String {
        func rate(_ milliseconds: Double, _ batch: Int) -> Double { Double(batch) * 1000 / milliseconds }
        let swiftInference = rate(swift.inference, inferenceBatch)
        var rows: [(task: String, swift: Double, python: Double, goal: String)] = [
            ("train step, batch \(trainBatch)", rate(swift.trainStep, trainBatch), rate(python.trainStep, trainBatch),
             "≥ 1.0×"),
            ("inference, batch \(inferenceBatch), Python NCHW", swiftInference,
             rate(python.inference, inferenceBatch), "≥ 2.0×"),
        ]
        if let channelsLast = python.inferenceChannelsLast {
            rows.append(("inference, batch \(inferenceBatch), Python NHWC", swiftInference,
                         rate(channelsLast, inferenceBatch), ""))
        }
        if let tuned = pythonKeepingFreedMemory {
            rows.append(("train step, Python keeping freed memory", rate(swift.trainStep, trainBatch),
                         rate(tuned.trainStep, trainBatch), ""))
            rows.append(("inference, Python NCHW keeping memory", swiftInference, rate(tuned.inference, inferenceBatch),
                         ""))
            if let channelsLast = tuned.inferenceChannelsLast {
                rows.append(("inference, Python NHWC keeping memory", swiftInference,
                             rate(channelsLast, inferenceBatch), ""))
            }
        }
        var lines = [
            "MobileFaceNet 112×112, \(embeddingSize)-D + ArcFace (\(classes) classes), SGD; \(threads) threads, "
                + "median of \(rounds) rounds × \(iterations) iterations; Swift inference BN-folded + channels-last"
                + (Runtime.keepsFreedMemory ? "; Swift keeps freed memory" : ""),
            tableCell("task", 38, left: true) + tableCell("Swift img/s", 13) + tableCell("Python img/s", 14)
                + tableCell("Swift/Python", 14) + tableCell("goal", 8),
        ]
        for row in rows {
            lines.append(tableCell(row.task, 38, left: true) + tableCell(String(format: "%.1f", row.swift), 13)
                         + tableCell(String(format: "%.1f", row.python), 14)
                         + tableCell(String(format: "%.2f×", row.swift / row.python), 14)
                         + (row.goal.isEmpty ? "" : tableCell(row.goal, 8)))
        }
        return lines.joined(separator: "\n")
    }
}
