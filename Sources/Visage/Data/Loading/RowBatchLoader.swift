import Torch

/// Batches of rows without images, in ``BatchLoader``'s order (the same seed gives the same batches): for
/// objectives that read their own data by row, such as feature-pair transformers.
///
/// Each ``Batch`` carries its rows in ``Batch/indices`` and their labels; its `images` tensor is empty
/// (`[N, 0]`).
public struct RowBatchLoader: BatchSource {
    private let order: BatchLoader

    /// Batches of `batchSize` rows of `source` (only its count and labels are read), the last partial batch
    /// dropped.
    public init(source: any FaceSource, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0) throws {
        order = try BatchLoader(source: source, batchSize: batchSize, shuffle: shuffle, dropLast: true, seed: seed)
    }

    public var batchSize: Int { order.batchSize }
    public var batchesPerEpoch: Int { order.batchesPerEpoch }
    public var sampleCount: Int { order.source.count }
    public var seed: UInt64 { order.seed }
    public var shuffle: Bool { order.shuffle }

    public func batches(epoch: Int, startingAt firstBatch: Int) -> any BatchSequence {
        Rows(batches: Array(order.batchIndices(epoch: epoch).dropFirst(firstBatch)), source: order.source)
    }

    private final class Rows: BatchSequence {
        private var remaining: ArraySlice<[Int]>
        private let source: any FaceSource

        init(batches: [[Int]], source: any FaceSource) {
            remaining = batches[...]
            self.source = source
        }

        func next() throws -> Batch? {
            guard let rows = remaining.popFirst() else { return nil }
            let labels = Tensor(rows.map { Int64(source.label(at: $0)) })
            return Batch(images: Tensor.zeros([rows.count, 0]), labels: labels, indices: rows)
        }
    }
}
