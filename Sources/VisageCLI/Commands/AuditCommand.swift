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

    func validate() throws {
        guard [16, 32, 64, 128].contains(size) else { throw ValidationError("--size must be 16, 32, 64 or 128, got \(size)") }
    }

    /// The catalogue entry of ``engine``.
    func engineEntry() throws -> EngineCatalogue.Entry {
        guard let entry = EngineCatalogue.all.first(where: { $0.name == engine && $0.kind == .recognition }),
              let dimension = entry.embeddingSize, dimension > 0 else {
            throw EngineError.unknownEngine(engine, valid: EngineCatalogue.recognitionNames)
        }
        return entry
    }

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
