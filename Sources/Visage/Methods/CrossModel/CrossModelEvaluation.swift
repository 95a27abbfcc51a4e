import Foundation
import Torch

/// The cross-model identification experiment of Tables 4–6 on held-out pairs: top-1 accuracy of the source model
/// alone (Src), the target model alone (Tgt), source probes transformed into a target gallery (probe
/// transformation, Tables 4–5: "FC Tgt", "R³AN Tgt"), and target probes against a source gallery transformed
/// into the target space (gallery transformation, Table 6).
public struct CrossModelEvaluation: Sendable, Equatable {
    /// Probes and gallery entries.
    public var probes: Int
    public var gallery: Int
    /// Source probes in the source gallery.
    public var source: Double
    /// Target probes in the target gallery.
    public var target: Double
    /// Per transformer: transformed source probes in the target gallery.
    public var probeTransformation: [String: Double]
    /// Per transformer: target probes in the transformed source gallery.
    public var galleryTransformation: [String: Double]
    /// Transformer names in the order given.
    public var transformerNames: [String]

    /// Runs every search on `pairs` (split by identity: first image of each in the gallery) with each named
    /// transformer, which must map `pairs`' source model to its target model.
    public init(pairs: CrossModelPairs, transformers: [(name: String, transformer: FeatureTransformer)]) throws {
        let split = CrossModelIdentification.Split(labels: pairs.labels)
        guard !split.probes.isEmpty else {
            throw DataError.invalidArgument("no identity has two images; there is nothing to identify")
        }
        func rows(_ matrix: FeatureMatrix, _ indices: [Int]) throws -> FeatureMatrix {
            try FeatureMatrix(rows: indices.count, columns: matrix.columns, values: indices.flatMap { matrix.row($0) })
        }
        func tensor(_ matrix: FeatureMatrix) throws -> Tensor {
            try Tensor(matrix.values, shape: [matrix.rows, matrix.columns])
        }
        let probeLabels = split.probes.map { pairs.labels[$0] }, galleryLabels = split.gallery.map { pairs.labels[$0] }
        let sourceProbes = try rows(pairs.source, split.probes), sourceGallery = try rows(pairs.source, split.gallery)
        let targetProbes = try tensor(rows(pairs.target, split.probes))
        let targetGallery = try tensor(rows(pairs.target, split.gallery))
        func top1(_ probes: Tensor, _ gallery: Tensor) throws -> Double {
            try CrossModelIdentification.top1Accuracy(
                probes: probes, probeLabels: probeLabels, gallery: gallery, galleryLabels: galleryLabels)
        }
        probes = split.probes.count
        gallery = split.gallery.count
        source = try top1(tensor(sourceProbes), tensor(sourceGallery))
        target = try top1(targetProbes, targetGallery)
        probeTransformation = [:]
        galleryTransformation = [:]
        transformerNames = transformers.map(\.name)
        for (name, transformer) in transformers {
            guard transformer.sourceModel == pairs.sourceModel, transformer.targetModel == pairs.targetModel else {
                throw CrossModelError.incompatibleFeatures(
                    "transformer \(name) maps \(transformer.sourceModel) → \(transformer.targetModel), the pairs are "
                        + "\(pairs.sourceModel) → \(pairs.targetModel)")
            }
            probeTransformation[name] = try top1(tensor(transformer.transform(sourceProbes)), targetGallery)
            galleryTransformation[name] = try top1(targetProbes, tensor(transformer.transform(sourceGallery)))
        }
    }

    /// The results as two Markdown tables in the layout of Tables 5 and 6 (percentages).
    public func markdown(sourceModel: String, targetModel: String) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "–" }
        let names = transformerNames
        var lines = ["Probe transformation (\(probes) probes, \(gallery) gallery entries; Tables 4–5)", "",
                     "| Src | Tgt | Src | Tgt | " + names.map { "\($0) Tgt" }.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: 4 + names.count),
                     "| \(sourceModel) | \(targetModel) | \(percent(source)) | \(percent(target)) | "
                         + names.map { percent(probeTransformation[$0]) }.joined(separator: " | ") + " |",
                     "", "Gallery transformation (Table 6)", "",
                     "| Src | Tgt | Src | Tgt | " + names.map { "Tgt \($0)" }.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: 4 + names.count),
                     "| \(sourceModel) | \(targetModel) | \(percent(source)) | \(percent(target)) | "
                         + names.map { percent(galleryTransformation[$0]) }.joined(separator: " | ") + " |"]
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
