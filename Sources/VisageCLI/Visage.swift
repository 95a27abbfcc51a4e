import ArgumentParser
import Visage

/// The `visage` command: face recognition training, evaluation and tools.
@main
struct VisageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visage",
        abstract: "Face recognition toolkit: pretrained engines, galleries, training, evaluation, template migration.",
        subcommands: [
            DemoCommand.self, TrainCommand.self, EmbedCommand.self, EvalCommand.self, SynthCommand.self,
            TransformCommand.self, CrossModelCommand.self, AlignCommand.self, BenchCommand.self, DistillCommand.self,
            EnginesCommand.self, DetectCommand.self, VerifyCommand.self, AugmentCommand.self,
            GalleryCommand.self, DMFRCommand.self, AuditCommand.self,
        ]
    )
}
