import Foundation
import Torch

/// insightface's Partial FC (An et al. 2021, arcface_torch's `PartialFC_V2`) on a ``ProcessGroup``: the
/// margin-softmax head's class centers split across the ranks, so that a head for millions of identities never
/// sits on one process.
///
/// Rank `r` holds the centers of a consecutive range of classes (``classRange``, the first `classes % ranks`
/// ranks one more). Each step the ranks all-gather their embeddings and labels, every rank computes the cosine
/// logits of the whole batch against its own centers (the margin on the targets it owns), and the softmax's
/// row maxima and sums of exponentials are all-reduced, so the loss is exactly the unsharded head's over the
/// whole batch. With a ``sampleRate`` below 1 each rank keeps only that fraction of its centers per step: every
/// center of a class in the batch and randomly drawn others (insightface's negative-center sampling).
///
/// Gradients: the centers' gradient stays on their rank (a ``Trainer`` leaves it out of ``DataParallel``'s
/// averaging, as it does for every ``ClassificationHead/isSharded`` head's parameters); the embeddings' gradient is the sum of every rank's part of the gathered batch's, scaled
/// by the number of ranks as insightface's `AllGatherFunc` does, so that ``DataParallel``'s averaging leaves the
/// backbone the unsharded loss's gradient.
public final class PartialFC: Module {
    /// Length of the embeddings.
    public let embeddingSize: Int
    /// Number of identities over all ranks.
    public let classes: Int
    /// ArcFace or CosFace.
    public let kind: MarginKind
    /// The fraction of this rank's centers used per step (1: all).
    public let sampleRate: Double
    /// The classes whose centers this rank holds.
    public let classRange: Range<Int>
    /// This rank's class centers `[classRange.count, embeddingSize]`, from N(0, 0.01²) as insightface's.
    public let weight: Tensor
    /// The ranks the head is split across; nil for one process holding every center.
    public let group: ProcessGroup?

    /// The share of `classes` that rank `rank` of `ranks` holds (insightface's split).
    public static func classRange(classes: Int, rank: Int, ranks: Int) -> Range<Int> {
        let (base, extra) = classes.quotientAndRemainder(dividingBy: ranks)
        let start = base * rank + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// This rank's part of a head for `classes` identities split across `group` (nil: one process, all of
    /// them); throws for a kind other than ArcFace or CosFace, fewer classes than ranks, or a sample rate
    /// outside (0, 1].
    public init(embeddingSize: Int, classes: Int, kind: MarginKind, sampleRate: Double = 1, group: ProcessGroup?)
        throws
    {
        let ranks = group?.worldSize ?? 1
        switch kind {
        case .arcFace, .cosFace: break
        default: throw DataError.invalidArgument("Partial FC trains ArcFace or CosFace, not \(kind.summary)")
        }
        guard classes >= ranks else {
            throw DataError.invalidArgument("Partial FC needs at least one class per rank: \(classes) classes, "
                + "\(ranks) ranks")
        }
        guard sampleRate > 0, sampleRate <= 1 else {
            throw DataError.invalidArgument("the sample rate must be in (0, 1], got \(sampleRate)")
        }
        self.embeddingSize = embeddingSize
        self.classes = classes
        self.kind = kind
        self.sampleRate = sampleRate
        self.group = group
        classRange = Self.classRange(classes: classes, rank: group?.rank ?? 0, ranks: ranks)
        weight = Tensor.zeros([classRange.count, embeddingSize]).requiresGrad(true)
        Initializers.normal(weight, std: 0.01)
        super.init()
    }

    /// The mean margin-softmax cross-entropy over every rank's batch, for this rank's `embeddings` `[n, D]` and
    /// int64 `labels` `[n]` (classes 0..<``classes``); every rank must pass the same `n`. Its value is the same
    /// on every rank; its backward gives ``weight`` and `embeddings` their gradients (see the type's notes).
    public func loss(_ embeddings: Tensor, labels: Tensor) throws -> Tensor {
        guard embeddings.rank == 2, embeddings.size(1) == embeddingSize, labels.shape == [embeddings.size(0)] else {
            throw DataError.invalidArgument(
                "Partial FC expects embeddings [N, \(embeddingSize)] and labels [N], got \(embeddings.shape) and "
                    + "\(labels.shape)")
        }
        let ranks = group?.worldSize ?? 1, rank = group?.rank ?? 0, rows = embeddings.size(0)
        let scale = kind.scale!
        let gathered = try withoutGrad { try allGather(embeddings.detached().contiguous()) }.requiresGrad(true)
        let allLabels = try allGather(labels.to(.int64).contiguous()).array(of: Int64.self)
        if let bad = allLabels.first(where: { !(0..<Int64(classes)).contains($0) }) {
            throw DataError.invalidArgument("label \(bad) is not in 0..<\(classes)")
        }
        // Each row's target among the centers used here, -1 where another rank owns it.
        var local = allLabels.map { classRange.contains(Int($0)) ? Int($0) - classRange.lowerBound : -1 }
        var centers = weight
        if sampleRate < 1 {
            let index = sampledCenters(positives: Set(local.filter { $0 >= 0 }))
            let position = Dictionary(uniqueKeysWithValues: index.enumerated().map { ($1, $0) })
            local = local.map { $0 >= 0 ? position[$0]! : -1 }
            centers = weight.indexSelect(0, Tensor(index.map(Int64.init)))
        }
        let owned = try Tensor(local.map { $0 >= 0 ? Float(1) : 0 }, shape: [local.count])
        let target = Tensor(local.map { Int64(max($0, 0)) }).view([-1, 1])

        let cosine = Functional.normalize(gathered).matmul(Functional.normalize(centers).transposed())
            .clamp(min: -1, max: 1)
        let targetCosine = cosine.gather(1, target)
        let margined = kind.targetCosine(targetCosine).where(owned.view([-1, 1]) .> 0.5, targetCosine)
        let logits = cosine.scatter(1, target, margined) * scale

        // The softmax over every rank's columns: all-reduced row maxima and sums of exponentials.
        let (maxima, sums, targets, softmax) = try withoutGrad { () throws -> (Tensor, Tensor, Tensor, Tensor) in
            let maxima = logits.max(1).values.contiguous()
            try allReduce(maxima, .max)
            let exponentials = (logits - maxima.view([-1, 1])).exp()
            let sums = exponentials.sum(1).contiguous()
            try allReduce(sums)
            let targets = (logits.gather(1, target).view([-1]) * owned).contiguous()
            try allReduce(targets)
            return (maxima, sums, targets, exponentials / sums.view([-1, 1]))
        }
        let total = Double(allLabels.count)
        // −log softmax of each row's target, averaged over the whole batch.
        let value = withoutGrad { (sums.log() + maxima - targets).mean() }
        // A local stand-in with the loss's gradient with respect to this rank's logits: (p − onehot) / N.
        let surrogate = ((softmax * logits).sum() - (logits.gather(1, target).view([-1]) * owned).sum()) / total
        let parts = gradients(of: [surrogate], with: [gathered, weight], allowUnused: true)
        let gatheredGradient = parts[0].contiguous()
        try allReduce(gatheredGradient)
        let embeddingGradient = withoutGrad {
            gatheredGradient.narrow(0, start: rank * rows, length: rows) * Double(ranks)
        }
        let weightGradient = parts[1]
        // value + 0, whose backward puts the gradients computed above on the embeddings and the centers.
        let embeddingTerm = (embeddings * embeddingGradient).sum()
        let weightTerm = (weight * weightGradient).sum()
        return value + (embeddingTerm - embeddingTerm.detached()) + (weightTerm - weightTerm.detached())
    }

    /// The centers used this step, ascending: every positive, and random others up to the sample rate's count
    /// (insightface's `sample`: uniform scores, positives scored 2, the top ones kept).
    private func sampledCenters(positives: Set<Int>) -> [Int] {
        let count = Int(sampleRate * Double(classRange.count))
        // Every rank draws as many numbers as the largest share, so that the ranks' generators stay in step
        // (a checkpoint saves rank 0's, and a resume gives it to every rank).
        let ranks = group?.worldSize ?? 1
        let largest = (classes + ranks - 1) / ranks
        var scores = withoutGrad { Tensor.rand([largest]).array(of: Float.self) }
        guard count > positives.count else { return positives.sorted() }
        scores.removeLast(largest - classRange.count)
        for positive in positives { scores[positive] = 2 }
        return scores.indices.sorted { scores[$0] > scores[$1] }.prefix(count).sorted()
    }

    /// The tensors of every rank, concatenated along the first dimension in rank order (this one's alone).
    private func allGather(_ tensor: Tensor) throws -> Tensor {
        try group?.allGather(tensor) ?? tensor
    }

    /// Reduces `tensor` in place over the ranks (nothing to do alone).
    private func allReduce(_ tensor: Tensor, _ reduction: ProcessGroup.Reduction = .sum) throws {
        try group?.allReduce(tensor, reduction)
    }
}

extension PartialFC: ClassificationHead {
    /// True: each rank holds its own classes' centers.
    public var isSharded: Bool { true }

    /// ``loss(_:labels:)``.
    public func classificationLoss(_ embeddings: Tensor, labels: Tensor) throws -> Tensor {
        try loss(embeddings, labels: labels)
    }

    /// Imprints the centers of ``classRange`` (every rank passes every face).
    public func imprint(embeddings: FeatureMatrix, labels: [Int]) throws {
        guard embeddings.columns == embeddingSize else {
            throw DataError.invalidArgument("imprinting needs \(embeddingSize)-D embeddings, got \(embeddings.columns)-D")
        }
        let imprinted = try Self.imprintedCenters(embeddings: embeddings, labels: labels, classes: classes,
                                                  range: classRange)
        withoutGrad { _ = weight.copy_(imprinted) }
    }
}
