import Foundation

/// The cross-model identification experiment of Tables 4–6 on held-out pairs: top-1 accuracy of the source model
/// alone (Src), the target model alone (Tgt), source probes transformed into a target gallery (probe
/// transformation, Tables 4–5: "FC Tgt", "R³AN Tgt"), and target probes against a source gallery transformed
/// into the target space (gallery transformation, Table 6).
public struct CrossModelEvaluation: Sendable, Equatable {
    /// Probes: every image after the first of each identity.
    public var probes: Int
    /// Gallery entries with an identity: the first image of each, one per identity.
    public var gallery: Int
    /// Distractor entries added to every gallery (images of identities the pairs do not hold).
    public var distractors: Int
    /// Source probes in the source gallery.
    public var source: Double
    /// Target probes in the target gallery.
    public var target: Double
    /// Per transformer: transformed source probes in the target gallery.
    public var probeTransformation: [String: Double]
    /// Per transformer: target probes in the transformed source gallery.
    public var galleryTransformation: [String: Double]
    /// Per R³AN transformer, when asked for: its extractor run on the probes' real faces, `E(I)`, searched in the
    /// target gallery. A diagnostic that tells the two halves of `E(G(X))` apart: how far the extractor learned
    /// the target model from faces (L_Rep), whatever the generator draws.
    public var extractorOnRealFaces: [String: Double]
    /// Transformer names in the order given.
    public var transformerNames: [String]

    /// Runs every search on `pairs` (split by identity: first image of each in the gallery) with each named
    /// transformer, which must map `pairs`' source model to its target model.
    ///
    /// `distractors`' images (e.g. the training identities', the "remaining images" of the paper's protocol)
    /// enlarge every gallery in that gallery's feature space: source features in the source gallery, target
    /// features in the target gallery, and transformed source features in a transformed source gallery.
    /// `progress`, when given, advances by every feature transformed: `transformers.count × (pairs.count +
    /// distractors.count)` in all. With `realFaces`, each R³AN transformer's extractor also embeds the probes'
    /// faces (read from `pairs`' image root) for ``extractorOnRealFaces``.
    /// - Throws: ``CrossModelError/incompatibleFeatures(_:)`` when a transformer or the distractors belong to
    ///   other models; ``DataError/invalidArgument(_:)`` when no identity has two images or a distractor shares
    ///   an identity with the pairs (it would count as an impostor of its own identity).
    public init(pairs: CrossModelPairs, transformers: [(name: String, transformer: FeatureTransformer)],
                distractors: CrossModelPairs? = nil, realFaces: Bool = false, workers: Int = 2,
                progress: ProgressBar? = nil) throws {
        let split = ProbeGallerySplit(labels: pairs.labels)
        guard !split.probes.isEmpty else {
            throw DataError.invalidArgument("no identity has two images; there is nothing to identify")
        }
        if let distractors {
            guard distractors.sourceModel == pairs.sourceModel, distractors.targetModel == pairs.targetModel,
                  distractors.sourceDimension == pairs.sourceDimension,
                  distractors.targetDimension == pairs.targetDimension
            else {
                throw CrossModelError.incompatibleFeatures(
                    "the distractors are \(distractors.sourceModel) (\(distractors.sourceDimension)-D) → "
                        + "\(distractors.targetModel) (\(distractors.targetDimension)-D) features, the pairs "
                        + "\(pairs.sourceModel) (\(pairs.sourceDimension)-D) → \(pairs.targetModel) "
                        + "(\(pairs.targetDimension)-D)")
            }
            if let shared = distractors.identities.first(where: Set(pairs.identities).contains) {
                throw DataError.invalidArgument(
                    "distractor identity \(shared) is also an identity of the probes and gallery; distractors must "
                        + "show nobody the probes show")
            }
        }
        let probeLabels = split.probes.map { pairs.labels[$0] }, galleryLabels = split.gallery.map { pairs.labels[$0] }
        let sourceProbes = pairs.source.selecting(rows: split.probes)
        let sourceGallery = pairs.source.selecting(rows: split.gallery)
        let targetProbes = pairs.target.selecting(rows: split.probes)
        let targetGallery = pairs.target.selecting(rows: split.gallery)
        func top1(_ probes: FeatureMatrix, _ gallery: FeatureMatrix, _ distractors: FeatureMatrix?) throws -> Double {
            try ClosedSetIdentification(
                gallery: gallery, galleryLabels: galleryLabels, probes: probes, probeLabels: probeLabels,
                distractors: distractors
            ).top1 / 100
        }
        probes = split.probes.count
        gallery = split.gallery.count
        self.distractors = distractors?.count ?? 0
        source = try top1(sourceProbes, sourceGallery, distractors?.source)
        target = try top1(targetProbes, targetGallery, distractors?.target)
        probeTransformation = [:]
        galleryTransformation = [:]
        extractorOnRealFaces = [:]
        transformerNames = transformers.map(\.name)
        for (name, transformer) in transformers {
            guard transformer.sourceModel == pairs.sourceModel, transformer.targetModel == pairs.targetModel else {
                throw CrossModelError.incompatibleFeatures(
                    "transformer \(name) maps \(transformer.sourceModel) → \(transformer.targetModel), the pairs are "
                        + "\(pairs.sourceModel) → \(pairs.targetModel)")
            }
            progress?.status = name
            probeTransformation[name] = try top1(transformer.transform(sourceProbes, progress: progress),
                                                 targetGallery, distractors?.target)
            galleryTransformation[name] = try top1(
                targetProbes, transformer.transform(sourceGallery, progress: progress),
                distractors.map { try transformer.transform($0.source, progress: progress) })
            if realFaces, case .r3an(let transformation, _) = transformer.network {
                let embedder = try Embedder(model: transformation.extractor, inputSize: pairs.faceSize, workers: workers)
                extractorOnRealFaces[name] = try top1(
                    embedder.embed(pairs.subset(split.probes), showProgress: false), targetGallery, distractors?.target)
            }
        }
    }

    /// The results as two Markdown tables in the layout of Tables 5 and 6 (percentages).
    public func markdown(sourceModel: String, targetModel: String) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "–" }
        let names = transformerNames
        let counts = "\(probes) probes; gallery: \(gallery) identities, one image each, + \(distractors) distractors"
        var lines = ["Probe transformation (\(counts); Tables 4–5)", "",
                     "| Src | Tgt | Src | Tgt | " + names.map { "\($0) Tgt" }.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: 4 + names.count),
                     "| \(sourceModel) | \(targetModel) | \(percent(source)) | \(percent(target)) | "
                         + names.map { percent(probeTransformation[$0]) }.joined(separator: " | ") + " |",
                     "", "Gallery transformation (\(counts); Table 6)", "",
                     "| Src | Tgt | Src | Tgt | " + names.map { "Tgt \($0)" }.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: 4 + names.count),
                     "| \(sourceModel) | \(targetModel) | \(percent(source)) | \(percent(target)) | "
                         + names.map { percent(galleryTransformation[$0]) }.joined(separator: " | ") + " |"]
        let extractors = names.filter { extractorOnRealFaces[$0] != nil }
        if !extractors.isEmpty {
            lines += ["", "Extractor on the probes' real faces, E(I), in the target gallery (diagnostic)", "",
                      "| Tgt | " + extractors.map { "\($0) E(I) Tgt" }.joined(separator: " | ") + " |",
                      "|" + String(repeating: "---|", count: 1 + extractors.count),
                      "| \(percent(target)) | " + extractors.map { percent(extractorOnRealFaces[$0]) }
                          .joined(separator: " | ") + " |"]
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
