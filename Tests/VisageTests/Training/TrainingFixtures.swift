import Foundation
import Torch
@testable import Visage

/// Tiny 8×8 gray faces of `classes` identities: each class lights its own quarter of the image, plus
/// per-sample noise, so a small network learns them in a few dozen steps.
struct TinyFaces: FaceSource {
    let count: Int
    let classes: Int

    init(count: Int = 40, classes: Int = 4) {
        self.count = count
        self.classes = classes
    }

    func label(at index: Int) -> Int { index % classes }
    func name(at index: Int) -> String { "tiny-\(index)" }
    func image(at index: Int) throws -> Image {
        var random = SeededRandom(seed: SeededRandom.derive(17, UInt64(index)))
        let label = label(at: index)
        var pixels = [UInt8](repeating: 0, count: 64)
        for y in 0..<8 {
            for x in 0..<8 {
                let lit = (y / 4) * 2 + x / 4 == label % 4
                pixels[y * 8 + x] = UInt8(clamping: (lit ? 170 : 60) + Int(random.uniform(-50...50)))
            }
        }
        return Image(width: 8, height: 8, channels: 1, pixels: pixels)
    }
}

/// Linear → BatchNorm → ReLU → Dropout: dropout makes the run depend on libtorch's generator, BatchNorm adds
/// buffers to the checkpoint.
final class TinyEmbedder: Module {
    let linear = Linear(64, 16)
    let norm = BatchNorm1d(16)
    let dropout = Dropout(0.3)

    override func forward(_ input: Tensor) -> Tensor {
        dropout(Functional.relu(norm(linear(input.flattened(from: 1)))))
    }
}

/// A test stand-in for a recognition objective: an embedder and a linear classifier under cross-entropy, with
/// hooks that simulate a killed process or a diverging loss.
final class TinyObjective: LossObjective {
    /// Thrown by ``losses(on:step:)`` at ``killAt``, standing in for the process being killed.
    struct Killed: Error {}

    let embedder = TinyEmbedder()
    let classifier = Linear(16, 4)
    /// The step at which to "kill" the run.
    var killAt: Int?
    /// The step at which a loss is NaN, and which one.
    var nanAt: (step: Int, name: String)?
    /// The step at which the loss stays finite but its gradient is NaN.
    var nanGradientAt: Int?

    var modules: [String: Module] { ["embedder": embedder, "classifier": classifier] }

    func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        if step == killAt { throw Killed() }
        let logits = classifier(embedder(batch.images))
        var loss = Functional.crossEntropy(logits, target: batch.labels)
        var accuracy = withoutGrad { logits.argmax(1).eq(batch.labels).to(.float32).mean() }
        if let nanAt, nanAt.step == step {
            if nanAt.name == "loss" { loss = loss * Double.nan } else { accuracy = accuracy * Double.nan }
        }
        if step == nanGradientAt {
            // √0 has an infinite derivative, times the 0 of the inner product: NaN, while the value stays 0.
            loss = loss + (classifier.weight * 0).sqrt().sum()
        }
        return ["loss": loss, "accuracy": accuracy]
    }
}

extension TrainingObjective {
    /// Every parameter and buffer, by module-qualified key, as floats.
    func snapshot() -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (name, module) in modules {
            for (key, tensor) in module.stateDict() {
                result[name + "." + key] = withoutGrad { tensor.detached().contiguous().array(of: Float.self) }
            }
        }
        return result
    }
}

enum TrainingFixtures {
    /// A new empty folder under the system's temporary folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-training-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A short run: 3 epochs of 5 batches of 8, checkpoints every 4 steps, logs every 3, warmup and a
    /// milestone, clipping.
    static func config(output: URL, steps: Int = 15) -> TrainingConfig {
        TrainingConfig(
            length: .steps(steps), batchSize: 8, learningRate: 0.2, momentum: 0.9, weightDecay: 5e-4,
            schedule: .multiStep(milestones: [9], gamma: 0.1), warmup: 2, warmupStartFactor: 0.25,
            gradientClipNorm: 2, checkpointInterval: 4, keptCheckpoints: 2, logInterval: 3, seed: 5,
            outputDirectory: output.path)
    }

    /// A shuffling loader over 40 tiny faces, 5 batches of 8 per epoch.
    static func loader(seed: UInt64 = 5) throws -> BatchLoader {
        try BatchLoader(source: TinyFaces(), batchSize: 8, shuffle: true, dropLast: true, seed: seed, imageSize: 8,
                        channels: 1, workers: 1)
    }

    /// A trainer without a progress bar.
    static func trainer(
        _ objective: TinyObjective, config: TrainingConfig, loader: BatchLoader? = nil,
        validation: ((Int) throws -> [String: Double])? = nil
    ) throws -> Trainer {
        let trainer = try Trainer(objective: objective, loader: try loader ?? Self.loader(), config: config,
                                  validation: validation)
        trainer.showsProgress = false
        return trainer
    }

    /// An objective initialized from `seed`.
    static func objective(seed: UInt64) -> TinyObjective {
        Runtime.seed(seed)
        return TinyObjective()
    }

    /// The log's lines as JSON objects.
    static func logLines(in output: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: output.appendingPathComponent("log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }
}
