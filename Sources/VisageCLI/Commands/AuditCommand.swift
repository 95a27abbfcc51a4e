import ArgumentParser
import Foundation
import Visage

/// `visage audit`: the template-inversion privacy audit (Vec2Face-v2): how often faces reconstructed from an
/// engine's templates alone are accepted by that engine.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Template-inversion audit: distill a student, train an inverter, and score the faces it rebuilds from templates.",
        subcommands: [AuditDistillCommand.self, AuditTrainCommand.self, AuditInvertCommand.self])

    /// The catalogue's recognition engine `name`, which must give its template width.
    static func engine(named name: String) throws -> EngineCatalogue.Entry {
        guard let entry = EngineCatalogue.all.first(where: { $0.name == name && $0.kind == .recognition }),
              let dimension = entry.embeddingSize, dimension > 0 else {
            throw EngineError.unknownEngine(name, valid: EngineCatalogue.recognitionNames)
        }
        return entry
    }
}

/// The engine, its templates of the training faces and the faces themselves, shared by `distill` and `train`.
struct AuditDataOptions: ParsableArguments {
    @Option(help: "Recognition engine whose templates are inverted (`visage engines`).")
    var engine = EngineCatalogue.dlibResNet.name

    @Option(help: "The engine's templates of the faces (.npy beside its .txt image list and its .json stamp).")
    var templates: String

    @Option(help: "Folder the listed image paths are relative to (the aligned faces).")
    var images: String

    @Option(help: "People list (LFW format, e.g. peopleDevTrain.txt) of the training identities.")
    var people: String

    @Option(help: "Face side the student and the generator work at (a power of two, 16 … 128).")
    var size = 64

    @Option(help: "File keeping the resized training faces between runs (read once, then reused; refused if made for other images).")
    var faceCache: String?

    func validate() throws {
        guard [16, 32, 64, 128].contains(size) else { throw ValidationError("--size must be 16, 32, 64 or 128, got \(size)") }
    }

    /// The catalogue entry of ``engine``.
    func engineEntry() throws -> EngineCatalogue.Entry { try AuditCommand.engine(named: engine) }

    /// The training faces of ``people`` with their stamp-checked templates.
    func trainingFaces() throws -> InversionFaces {
        let entry = try engineEntry()
        let file = try EngineTemplates.load(URL(fileURLWithPath: templates), engine: entry.stamp,
                                            dimension: entry.embeddingSize!)
        let list = try PeopleList(contentsOf: URL(fileURLWithPath: people))
        return try InversionFaces(file: file, imageRoot: URL(fileURLWithPath: images, isDirectory: true),
                                  faceSize: size, people: Set(list.names))
    }
}

/// The length, optimizer and output of an audit training run (`distill`, `train`), on the project's trainer.
struct AuditTrainingOptions: ParsableArguments {
    @Option(help: "Optimizer steps.")
    var steps = 2000

    @Option(help: "Faces per step.")
    var batchSize = 32

    @Option(help: "Adam learning rate of every network.")
    var lr = 2e-4

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery = 500

    @Option(help: "Seed of initialization, noise and order.")
    var seed: UInt64 = 0

    @Option(help: "Image-decoding threads.")
    var workers = 2

    @Option(help: "Output folder (the result, log.jsonl and checkpoints/).")
    var out: String

    @Flag(help: "Continue the run whose checkpoints are in --out.")
    var resume = false

    func validate() throws {
        guard steps > 0, batchSize > 1, checkpointEvery > 0, workers > 0 else {
            throw ValidationError("--steps, --checkpoint-every and --workers must be positive and --batch-size at least 2")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
    }

    var outURL: URL { URL(fileURLWithPath: out, isDirectory: true) }

    /// Trains `objective` on the faces of `data` (cached as ``AuditDataOptions/faceCache`` says) and returns the
    /// summary and the seconds this session took.
    func train(_ objective: any TrainingObjective, faces: InversionFaces, data: AuditDataOptions) throws
        -> (summary: TrainingSummary, seconds: Double) {
        let memory = try InversionFaceCache.faces(of: faces, cache: data.faceCache.map { URL(fileURLWithPath: $0) },
                                                  workers: workers)
        let loader = try BatchLoader(source: memory, batchSize: batchSize, shuffle: true, dropLast: true, seed: seed,
                                     imageSize: data.size, channels: 3, workers: 1)
        let config = TrainingConfig(
            length: .steps(steps), batchSize: batchSize, learningRate: lr, momentum: 0, weightDecay: 0,
            exemptNormAndBiasFromDecay: false, schedule: .constant, gradientClipNorm: nil,
            checkpointInterval: checkpointEvery, keptCheckpoints: 2, logInterval: 50, seed: seed,
            outputDirectory: outURL.path)
        let started = Date()
        let summary = try Trainer(objective: objective, loader: loader, config: config).run(resume: resume)
        return (summary, Date().timeIntervalSince(started))
    }
}
