import ArgumentParser
import Foundation
import Visage

/// `visage cross-model evaluate`: top-1 identification with probe and gallery transformation (Tables 4–6).
struct CrossModelEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Top-1 cross-model identification on the held-out identities (Src, Tgt, transformed columns).",
        discussion: """
            Uses the identities `train` held out (same --test-fraction and --seed). The first image of each \
            identity is the gallery, the others are probes, every other gallery entry is a distractor. Prints \
            the probe-transformation table (Tables 4–5) and the gallery-transformation table (Table 6).
            """)

    @OptionGroup var data: CrossModelDataOptions

    @Option(name: .long, parsing: .upToNextOption,
            help: "Transformers to compare, as NAME=PATH (e.g. FC=runs/fc/transformer.safetensors).")
    var transformers: [String]

    func run() throws {
        let pairs = try CrossModelPairs.load(
            source: URL(fileURLWithPath: data.source), target: URL(fileURLWithPath: data.target),
            imageRoot: URL(fileURLWithPath: data.images))
        let test = try pairs.splitByIdentity(testFraction: data.testFraction, seed: data.seed).test
        let named = try transformers.map { entry -> (name: String, transformer: FeatureTransformer) in
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--transformers entries are NAME=PATH, got \(entry)")
            }
            return (String(entry[..<equals]),
                    try FeatureTransformer.load(from: URL(fileURLWithPath: String(entry[entry.index(after: equals)...]))))
        }
        let evaluation = try CrossModelEvaluation(pairs: test, transformers: named)
        print(evaluation.markdown(sourceModel: pairs.sourceModel, targetModel: pairs.targetModel))
    }
}
