import ArgumentParser
import Foundation
import Visage

/// `visage cross-model evaluate`: top-1 identification with probe and gallery transformation (Tables 4–6).
struct CrossModelEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Top-1 cross-model identification on the held-out identities (Src, Tgt, transformed columns).",
        discussion: """
            Uses the identities `train` held out (same --train-people, or --test-fraction and --seed). The first \
            image of each identity is the gallery, the others are probes, every other gallery entry is a \
            distractor; --training-distractors adds every image of the training identities to each gallery too, \
            in that gallery's feature space (transformed for the transformed gallery). Prints the \
            probe-transformation table (Tables 4–5) and the gallery-transformation table (Table 6), each headed \
            by the number of probes, gallery identities and distractors. --extractor-on-faces adds a table of \
            each R³AN extractor run on the probes' real faces (read from --images).
            """,
        aliases: ["eval"])

    @OptionGroup var data: CrossModelDataOptions

    @Option(name: .long, parsing: .upToNextOption,
            help: "Transformers to compare, as NAME=PATH (e.g. FC=runs/fc/transformer.safetensors).")
    var transformers: [String]

    @Flag(name: .long, help: "Add the training identities' images to every gallery as distractors.")
    var trainingDistractors = false

    @Flag(name: .long, help: ArgumentHelp(
        "Also search each R³AN extractor's features of the probes' real faces in the target gallery.",
        discussion: "A diagnostic: how far the extractor learned the target model from faces, apart from the generator."))
    var extractorOnFaces = false

    @Option(name: .long, help: "Image-decoding threads (with --extractor-on-faces).")
    var workers: Int = 2

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be positive, got \(workers)") }
    }

    func run() throws {
        let pairs = try data.loadPairs()
        let (train, test) = try data.split(pairs)
        let named = try transformers.map { entry -> (name: String, transformer: FeatureTransformer) in
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--transformers entries are NAME=PATH, got \(entry)")
            }
            return (String(entry[..<equals]),
                    try FeatureTransformer.load(from: URL(fileURLWithPath: String(entry[entry.index(after: equals)...]))))
        }
        let distractors = trainingDistractors ? train : nil
        let progress = ProgressBar("transform", total: named.count * (test.count + (distractors?.count ?? 0)),
                                   unit: "feat")
        let evaluation = try CrossModelEvaluation(pairs: test, transformers: named, distractors: distractors,
                                                  realFaces: extractorOnFaces, workers: workers, progress: progress)
        progress.finish()
        print("\(test.identities.count) held-out identities (\(test.count) images), \(train.identities.count) "
            + "training identities (\(train.count) images\(trainingDistractors ? ", the distractors" : ""))\n")
        print(evaluation.markdown(sourceModel: pairs.sourceModel, targetModel: pairs.targetModel))
    }
}
