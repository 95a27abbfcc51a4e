import Torch

/// The margin-softmax head of recognition training, as the objectives use it: ``MarginSoftmax`` holding every
/// class center, or ``PartialFC`` holding this rank's share of them.
public protocol ClassificationHead: Module {
    /// Length of the embeddings the head takes.
    var embeddingSize: Int { get }
    /// Number of identities over all ranks.
    var classes: Int { get }
    /// The loss the head trains with.
    var kind: MarginKind { get }
    /// The class centers this process holds, one row per class.
    var weight: Tensor { get }
    /// Whether this process's parameters are its own share of the head, different on every rank (Partial FC),
    /// rather than a copy of everyone's: they are then neither averaged nor broadcast, and each rank
    /// checkpoints its own.
    var isSharded: Bool { get }

    /// The mean margin-softmax cross-entropy of `embeddings` `[N, embeddingSize]` against int64 `labels` `[N]`.
    func classificationLoss(_ embeddings: Tensor, labels: Tensor) throws -> Tensor

    /// Sets the centers this process holds to the normalized mean embedding of their class ("weight
    /// imprinting"), from every face's embedding and label; throws for mismatched sizes, a label outside the
    /// classes, or a held class without faces.
    func imprint(embeddings: FeatureMatrix, labels: [Int]) throws
}

extension ClassificationHead {
    /// The normalized mean embedding of each class in `range` `[range.count, embeddings.columns]`, from rows
    /// labeled 0..<`classes` (``imprint(embeddings:labels:)``'s centers).
    static func imprintedCenters(embeddings: FeatureMatrix, labels: [Int], classes: Int, range: Range<Int>) throws
        -> Tensor
    {
        let size = embeddings.columns
        guard embeddings.rows == labels.count else {
            throw DataError.invalidArgument("imprinting needs one embedding per label; got \(embeddings.rows)×"
                + "\(size) for \(labels.count) labels")
        }
        var sums = [Double](repeating: 0, count: range.count * size)
        var counts = [Int](repeating: 0, count: range.count)
        for (row, label) in labels.enumerated() {
            guard (0..<classes).contains(label) else {
                throw DataError.invalidArgument("label \(label) of sample \(row) is not in 0..<\(classes)")
            }
            guard range.contains(label) else { continue }
            let slot = label - range.lowerBound
            counts[slot] += 1
            for column in 0..<size { sums[slot * size + column] += Double(embeddings.values[row * size + column]) }
        }
        if let empty = counts.firstIndex(of: 0) {
            throw DataError.invalidArgument("class \(range.lowerBound + empty) has no sample to imprint its weight from")
        }
        var centers = [Float](repeating: 0, count: sums.count)
        for slot in 0..<range.count {
            let row = sums[slot * size..<(slot + 1) * size]
            let norm = max(row.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            for (column, value) in row.enumerated() { centers[slot * size + column] = Float(value / norm) }
        }
        return try Tensor(centers, shape: [range.count, size])
    }
}
