import ArgumentParser

/// `visage cross-model`: train and evaluate feature transformations between face models (R³AN).
struct CrossModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-model",
        abstract: "Cross-model face recognition: train R³AN or the FC baseline, evaluate top-1 identification.",
        subcommands: [CrossModelTrainCommand.self, CrossModelEvaluateCommand.self])
}

/// The paired feature files and the identity split shared by `cross-model train` and `cross-model evaluate`.
struct CrossModelDataOptions: ParsableArguments {
    @Option(name: .long, help: "Source-model features (.npy with its .txt image list).")
    var source: String

    @Option(name: .long, help: "Target-model features of the same images (.npy with its .txt image list).")
    var target: String

    @Option(name: .long, help: "Folder the listed image paths are relative to.")
    var images: String

    @Option(name: .long, help: "Fraction of identities held out for evaluation.")
    var testFraction: Double = 0.2

    @Option(name: .long, help: "Seed of the identity split (and of training).")
    var seed: UInt64 = 0
}
