import Foundation
import Testing
import Torch
@testable import Visage

@Suite("R³AN reconstruction grid")
struct R3ANReconstructionGridTests {
    /// Five fixture pairs with 8-dimensional source features, of model `source`.
    private func pairs() throws -> (CrossModelPairs, URL) {
        let folder = try CrossModelFixtures.pairsFolder(count: 5, sourceDimension: 8, targetDimension: 4)
        let pairs = try CrossModelFixtures.pairs(in: folder)
        return (pairs, folder)
    }

    /// A fresh R³AN transformer from `source` → `target` features.
    private func transformer(sourceDimension: Int, sourceModel: String = "source") -> FeatureTransformer {
        FeatureTransformer(
            network: .r3an(R3ANTransformation(sourceDimension: sourceDimension, targetDimension: 4), .r3an),
            sourceModel: sourceModel, targetModel: "target")
    }

    @Test("tanh −1 maps to 0, 1 to 255, 0 to 128; out-of-range values are clamped; planes become RGB pixels")
    func tanhToPixels() {
        // Planar [3, 2, 2]: red plane, green plane, blue plane.
        let values: [Float] = [-1, 1, 0, 2, /* green */ 1, -1, -0.5, -3, /* blue */ 0.5, 0, 1, -1]
        let image = R3ANReconstructionGrid.image(fromTanh: values[...], size: 2)
        #expect(image.width == 2 && image.height == 2 && image.channels == 3)
        #expect(image.pixels == [0, 255, 191, 255, 0, 128, 128, 64, 255, 255, 0, 0])
    }

    @Test("pairs of columns show the real face at 56×56 beside the generator's face from its source feature")
    func grid() throws {
        let (pairs, folder) = try pairs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transformer = transformer(sourceDimension: 8)
        let rows = [4, 0, 2]
        let grid = try R3ANReconstructionGrid.render(transformer: transformer, pairs: pairs, rows: rows,
                                                     pairsPerRow: 2, spacing: 2)
        #expect(grid.width == 4 * 56 + 3 * 2 && grid.height == 2 * 56 + 2)
        guard case .r3an(let transformation, _) = transformer.network else { Issue.record("not R³AN"); return }
        let features = try pairs.featureTensors(rows: [0]).source
        let generated = withoutGrad { transformation.generator.eval()(features) }.contiguous().array(of: Float.self)
        let reconstruction = R3ANReconstructionGrid.image(fromTanh: generated[...], size: 56)
        let real = try pairs.image(at: 0)
        for (x, y) in [(0, 0), (30, 17), (55, 55)] {
            for c in 0..<3 {
                #expect(grid[2 * 58 + x, y, c] == real[x, y, c])
                #expect(grid[3 * 58 + x, y, c] == reconstruction[x, y, c])
            }
        }
        #expect(grid[2 * 58 + 10, 58 + 10, 0] == 255)
        #expect(try ImageCodec.decode(ImageCodec.encodePNG(grid)) == grid)
    }

    @Test("a transformer that reads another dimension or model, or has no generator, is refused with a reason")
    func refusals() throws {
        let (pairs, folder) = try pairs()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CrossModelError.incompatibleFeatures(
            "source features are 8-dimensional but the generator of the transformer from source reads "
                + "6-dimensional ones")) {
            try R3ANReconstructionGrid.render(transformer: transformer(sourceDimension: 6), pairs: pairs, rows: [0])
        }
        #expect(throws: CrossModelError.self) {
            try R3ANReconstructionGrid.render(transformer: transformer(sourceDimension: 8, sourceModel: "other"),
                                              pairs: pairs, rows: [0])
        }
        let mlp = FeatureTransformer(network: .mlp(FeatureMLP(sourceDimension: 8, targetDimension: 4, hiddenWidth: 3)),
                                     sourceModel: "source", targetModel: "target")
        #expect(throws: CrossModelError.self) {
            try R3ANReconstructionGrid.render(transformer: mlp, pairs: pairs, rows: [0])
        }
        #expect(throws: DataError.self) {
            try R3ANReconstructionGrid.render(transformer: transformer(sourceDimension: 8), pairs: pairs, rows: [5])
        }
    }

    @Test("rows are spread over identities before a second image of any is taken")
    func spread() {
        #expect(R3ANReconstructionGrid.spreadRows(labels: [0, 0, 1, 1, 2], count: 4) == [0, 2, 4, 1])
        #expect(R3ANReconstructionGrid.spreadRows(labels: [0, 1, 0], count: 16) == [0, 1, 2])
    }
}
