import Torch

/// The paper's Fig. 4: real faces beside the faces R³AN's generator reconstructs from their source-model features,
/// as one image with pairs of columns (real | reconstruction), `pairsPerRow` pairs to a row.
public enum R3ANReconstructionGrid {
    /// The grid for the images at `rows` of `pairs`: each real face resized to 56×56, then the generator's face
    /// from its source feature.
    /// - Throws: ``CrossModelError/invalidTransformer(_:)`` when `transformer` is not an R³AN (the FC baseline has
    ///   no generator); ``CrossModelError/incompatibleFeatures(_:)`` when it reads another model's features or
    ///   another dimension than `pairs`' source features; ``DataError/invalidArgument(_:)`` when `rows` is empty
    ///   or out of range, or `pairsPerRow` is not positive; image errors for faces that cannot be read.
    public static func render(transformer: FeatureTransformer, pairs: CrossModelPairs, rows: [Int],
                              pairsPerRow: Int = 4, spacing: Int = 2) throws -> Image {
        guard case .r3an(let transformation, _) = transformer.network else {
            throw CrossModelError.invalidTransformer(
                "the \(transformer.architecture) transformer from \(transformer.sourceModel) has no generator; "
                    + "only R³AN reconstructs faces")
        }
        let generator = transformation.generator
        guard pairs.sourceDimension == generator.sourceDimension else {
            throw CrossModelError.incompatibleFeatures(
                "source features are \(pairs.sourceDimension)-dimensional but the generator of the transformer from "
                    + "\(transformer.sourceModel) reads \(generator.sourceDimension)-dimensional ones")
        }
        guard pairs.sourceModel == transformer.sourceModel else {
            throw CrossModelError.incompatibleFeatures(
                "source features are of \(pairs.sourceModel) but the transformer reads \(transformer.sourceModel)'s")
        }
        guard !rows.isEmpty else { throw DataError.invalidArgument("a reconstruction grid needs at least one image") }
        if let bad = rows.first(where: { !pairs.paths.indices.contains($0) }) {
            throw DataError.invalidArgument("image \(bad) is out of range; the pairs list \(pairs.count) images")
        }
        guard pairsPerRow > 0 else {
            throw DataError.invalidArgument("a reconstruction grid needs a positive count of pairs per row, got \(pairsPerRow)")
        }
        let size = R3ANGenerator.faceSize
        let wasTraining = generator.isTraining
        if wasTraining { generator.eval() }
        defer { if wasTraining { generator.train() } }
        let features = try pairs.featureTensors(rows: rows).source
        let generated = try withTorchErrors { withoutGrad { generator(features).contiguous() } }.array(of: Float.self)
        let plane = 3 * size * size
        var tiles: [Image] = []
        for (index, row) in rows.enumerated() {
            var real = try pairs.image(at: row)
            if real.width != size || real.height != size { real = real.resized(width: size, height: size, filter: .area) }
            tiles.append(real)
            tiles.append(image(fromTanh: generated[(index * plane)..<((index + 1) * plane)], size: size))
        }
        return try ImageGrid.render(tiles, columns: 2 * pairsPerRow, spacing: spacing)
    }

    /// A `size`×`size` RGB image from planar `[3, size, size]` values in [−1, 1] (the generator's tanh output),
    /// the inverse of the loader's `pixel / 127.5 − 1`: −1 → 0, 1 → 255, values outside clamped.
    public static func image(fromTanh values: ArraySlice<Float>, size: Int) -> Image {
        precondition(values.count == 3 * size * size, "R3ANReconstructionGrid: expected 3×\(size)×\(size) values")
        var image = Image(width: size, height: size, channels: 3)
        let plane = size * size, start = values.startIndex
        for channel in 0..<3 {
            for pixel in 0..<plane {
                let value = ((values[start + channel * plane + pixel] + 1) * 127.5).rounded()
                image.pixels[pixel * 3 + channel] = UInt8(max(0, min(255, value.isNaN ? 0 : value)))
            }
        }
        return image
    }

    /// Up to `count` image indices spread over identities: the first image of each identity in order of first
    /// appearance, then the second of each, and so on.
    public static func spreadRows(labels: [Int], count: Int) -> [Int] {
        var byIdentity: [Int: [Int]] = [:]
        var order: [Int] = []
        for (index, label) in labels.enumerated() {
            if byIdentity[label] == nil { order.append(label) }
            byIdentity[label, default: []].append(index)
        }
        var rows: [Int] = []
        var round = 0
        while rows.count < min(count, labels.count) {
            for label in order where rows.count < count {
                if let images = byIdentity[label], round < images.count { rows.append(images[round]) }
            }
            round += 1
        }
        return rows
    }
}
