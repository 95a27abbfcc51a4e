/// Where a ``Trainer`` gets its batches: a fixed number per epoch, in an order decided by a seed and the epoch,
/// so that a resumed run sees the same batches as an uninterrupted one.
///
/// ``BatchLoader`` decodes images; ``RowBatchLoader`` gives only the rows of each batch, for objectives that
/// read their own data by row (feature pairs).
public protocol BatchSource {
    /// Samples per batch.
    var batchSize: Int { get }
    /// Batches in one epoch.
    var batchesPerEpoch: Int { get }
    /// Samples in the data.
    var sampleCount: Int { get }
    /// The seed of the order.
    var seed: UInt64 { get }
    /// Whether the order is shuffled.
    var shuffle: Bool { get }
    /// The share of every batch this source yields: ``batchSize`` counts the whole batch, a batch of
    /// ``batches(epoch:startingAt:)`` holds this share's part of it.
    var shard: BatchShard { get }
    /// The batches of `epoch` from its batch `firstBatch` on.
    func batches(epoch: Int, startingAt firstBatch: Int) -> any BatchSequence
}

/// The batches of one epoch, in order.
public protocol BatchSequence: AnyObject {
    /// The next batch, nil at the end of the epoch.
    func next() throws -> Batch?
}

extension BatchSource {
    /// The whole batch, for sources that do not shard.
    public var shard: BatchShard { .whole }
}

extension BatchLoader: BatchSource {
    public var sampleCount: Int { source.count }

    public func batches(epoch: Int, startingAt firstBatch: Int) -> any BatchSequence {
        self.epoch(epoch, startingAt: firstBatch)
    }
}

extension BatchLoader.Epoch: BatchSequence {}
