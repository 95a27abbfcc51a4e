import Foundation
import Torch

/// Top-1 face identification for cross-model experiments (Tables 3–6): each probe is searched by cosine
/// similarity in a gallery holding one image per identity, every other gallery entry acting as a distractor.
///
/// A focused search for this method's tables; the general identification and CMC evaluation belongs to
/// `Evaluation/`.
public enum CrossModelIdentification {
    /// Which images are probes and which form the gallery.
    public struct Split: Sendable, Equatable {
        /// Gallery rows: the first image of every identity.
        public var gallery: [Int]
        /// Probe rows: every other image of identities with at least two.
        public var probes: [Int]

        /// The first image of each identity in `labels` goes to the gallery, the others are probes; identities
        /// with a single image are gallery distractors only.
        public init(labels: [Int]) {
            var seen = Set<Int>()
            gallery = []
            probes = []
            for (row, label) in labels.enumerated() {
                if seen.insert(label).inserted { gallery.append(row) } else { probes.append(row) }
            }
        }
    }

    /// The fraction of probes whose most similar gallery entry (cosine similarity) has the probe's label.
    /// - Parameters:
    ///   - probes: `[P, D]` features.
    ///   - gallery: `[G, D]` features in the same space.
    ///   - batchSize: probes compared at once, bounding the `[batch, G]` similarity matrix.
    public static func top1Accuracy(
        probes: Tensor, probeLabels: [Int], gallery: Tensor, galleryLabels: [Int], batchSize: Int = 1024
    ) throws -> Double {
        guard probes.size(0) == probeLabels.count, gallery.size(0) == galleryLabels.count else {
            throw DataError.invalidArgument("\(probes.size(0)) probes with \(probeLabels.count) labels, "
                + "\(gallery.size(0)) gallery entries with \(galleryLabels.count) labels")
        }
        guard probes.size(1) == gallery.size(1) else {
            throw CrossModelError.incompatibleFeatures(
                "probes are \(probes.size(1))-dimensional but the gallery is \(gallery.size(1))-dimensional")
        }
        guard !probeLabels.isEmpty, !galleryLabels.isEmpty else {
            throw DataError.invalidArgument("identification needs at least one probe and one gallery entry")
        }
        let galleryUnit = Functional.normalize(gallery, dim: 1)
        var correct = 0
        for start in stride(from: 0, to: probeLabels.count, by: batchSize) {
            let end = min(start + batchSize, probeLabels.count)
            let batch = Functional.normalize(probes[start..<end], dim: 1)
            let best = try withTorchErrors { batch.matmul(galleryUnit.transposed()).argmax(1) }.array(of: Int64.self)
            for (offset, index) in best.enumerated() where galleryLabels[Int(index)] == probeLabels[start + offset] {
                correct += 1
            }
        }
        return Double(correct) / Double(probeLabels.count)
    }
}
