import ArgumentParser
import Foundation
import Visage

/// `visage transform`: move stored features into another model's space with a trained feature transformer.
struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Transform source-model features (.npy) into a target model's feature space.",
        discussion: """
            Reads IN a batch of rows at a time, so galleries larger than memory migrate. The image list (--list, \
            else IN's .txt when present) is copied next to OUT, and OUT gets a stamp (same name, .json) naming the \
            target model, the source model and the transformer. An input whose dimension differs from the \
            transformer's, or whose stamp names another source model, is refused.
            """)

    @Option(name: .long, help: "Feature transformer (.safetensors) from visage cross-model train.")
    var model: String

    @Option(name: .customLong("in"), help: "Source-model features, float32 N×D .npy.")
    var input: String

    @Option(name: .long, help: "Image list of the input rows (default: the input's .txt, when it exists).")
    var list: String?

    @Option(name: .long, help: "Where to write the transformed features (.npy).")
    var out: String

    @Option(name: .long, help: "Rows transformed per batch.")
    var batchSize: Int = 1024

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        do { try FeatureStamp.checkFeaturesPath(URL(fileURLWithPath: out)) } catch { throw ValidationError("--out: \(error)") }
    }

    func run() throws {
        let modelURL = URL(fileURLWithPath: model)
        let transformer = try FeatureTransformer.load(from: modelURL)
        let inputURL = URL(fileURLWithPath: input)
        let rows = try NPYRowReader(contentsOf: inputURL).rows
        let migration = try GalleryMigration(transformer: transformer, transformerURL: modelURL, batchSize: batchSize)
        let progress = ProgressBar("transform", total: rows, unit: "feat")
        let report = try migration.run(
            input: inputURL, list: list.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: out),
            progress: progress)
        progress.finish()
        if report.inputUnstamped {
            FileHandle.standardError.write(Data(
                "warning: \(input) has no stamp; assumed to hold features of \(transformer.sourceModel)\n".utf8))
        }
        print("transformed \(report.rows) features \(transformer.sourceModel) (\(transformer.sourceDimension)-D) → "
            + "\(transformer.targetModel) (\(transformer.targetDimension)-D) into \(out)"
            + (report.list.map { " with list \($0.path)" } ?? ""))
    }
}
