/// One rank's share of every batch in data-parallel training: batch `b` of the epoch's order is cut into
/// ``count`` equal consecutive parts and rank ``rank`` gets part ``rank``, so N ranks together see exactly
/// the batches one process with the whole batch sees (and a resume on another number of ranks the same).
public struct BatchShard: Hashable, Sendable, CustomStringConvertible {
    /// This share's rank, 0..<``count``.
    public let rank: Int
    /// Number of shares.
    public let count: Int

    /// The whole batch: one process.
    public static let whole = BatchShard(rank: 0, count: 1)

    public init(rank: Int, count: Int) {
        self.rank = rank
        self.count = count
    }

    /// This rank's part of `batch`, whose size ``count`` divides.
    public func part<Element>(of batch: [Element]) -> [Element] {
        let size = batch.count / count
        return Array(batch[rank * size..<(rank + 1) * size])
    }

    public var description: String { count == 1 ? "the whole batch" : "share \(rank) of \(count)" }
}
