import ArgumentParser
import Foundation
import Visage

/// `visage cross-model faces`: real faces beside R³AN's reconstructions of them (Fig. 4).
struct CrossModelFacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "Write a grid of held-out real faces beside the R³AN generator's reconstructions (Fig. 4).",
        discussion: """
            Uses the identities `train` held out (same --train-people, or --test-fraction and --seed), one \
            image per identity before a second of any. Each pair of columns is a real face resized to 56×56 \
            and the face the generator of --model reconstructs from its source feature.
            """)

    @OptionGroup var data: CrossModelDataOptions

    @Option(name: .long, help: "R³AN transformer (transformer.safetensors written by `cross-model train`).")
    var model: String

    @Option(name: .long, help: "Faces to show.")
    var count: Int = 16

    @Option(name: .long, help: "Real | reconstruction pairs per row.")
    var pairsPerRow: Int = 4

    @Option(name: .long, help: "Image to write (.png).")
    var out: String

    func validate() throws {
        guard count > 0, pairsPerRow > 0 else { throw ValidationError("--count and --pairs-per-row must be positive") }
    }

    func run() throws {
        let transformer = try FeatureTransformer.load(from: URL(fileURLWithPath: model))
        let test = try data.split(data.loadPairs()).test
        let rows = R3ANReconstructionGrid.spreadRows(labels: test.labels, count: count)
        let grid = try R3ANReconstructionGrid.render(transformer: transformer, pairs: test, rows: rows,
                                                     pairsPerRow: pairsPerRow)
        try ImageCodec.write(grid, to: URL(fileURLWithPath: out))
        print("wrote \(rows.count) faces of \(Set(rows.map { test.labels[$0] }).count) held-out identities "
            + "(\(grid.width)×\(grid.height)) to \(out)")
    }
}
