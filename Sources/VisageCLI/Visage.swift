import ArgumentParser
import Torch
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

    /// Applies the runtime's allocator and thread settings on the main thread before any command's thread exists.
    static func main() async {
        Runtime.applyDefaults()
        await main(nil)
    }
}
