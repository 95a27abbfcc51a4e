import ArgumentParser
import Visage

/// The `visage` command: face recognition training, evaluation and tools.
@main
struct VisageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visage",
        abstract: "Face recognition toolkit: train, evaluate, migrate galleries, audit templates.",
        subcommands: [SynthCommand.self, AlignCommand.self, BenchCommand.self, EvalCommand.self, DistillCommand.self]
    )
}
