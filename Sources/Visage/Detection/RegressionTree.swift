/// One regression tree of dlib's shape-predictor cascade (Kazemi & Sullivan 2014): a complete binary tree whose
/// internal nodes compare the difference of two feature pixels with a threshold and whose leaves hold shape
/// increments.
///
/// Nodes are stored breadth-first as dlib stores them: node `i` has children `2i + 1` (taken when
/// `pixel[first] − pixel[second] > threshold`) and `2i + 2`; leaf `j` is node `splits.count + j`.
public struct RegressionTree: Sendable, Equatable {
    /// One internal node: the two feature-pixel indices and the threshold on their difference.
    public struct Split: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var threshold: Float

        public init(first: Int, second: Int, threshold: Float) {
            self.first = first
            self.second = second
            self.threshold = threshold
        }
    }

    /// Internal nodes, breadth-first.
    public let splits: [Split]
    /// Leaf increments, `leafCount × leafLength` values, leaf by leaf.
    public let leafValues: [Float]
    /// Values per leaf (twice the number of landmarks).
    public let leafLength: Int

    /// A tree from its splits and leaves; nil unless the tree is complete (`leaves.count == splits.count + 1`,
    /// a power of two) and every leaf has `leafLength` values.
    public init?(splits: [Split], leaves: [[Float]], leafLength: Int) {
        let count = leaves.count
        guard count == splits.count + 1, count & (count - 1) == 0, leaves.allSatisfy({ $0.count == leafLength })
        else { return nil }
        self.splits = splits
        self.leafValues = leaves.flatMap { $0 }
        self.leafLength = leafLength
    }

    /// Number of leaves.
    public var leafCount: Int { splits.count + 1 }

    /// The leaf reached for `features`, as dlib walks it (the difference taken in float32, strictly greater
    /// going left). Every split index must be below `features.count`.
    public func leaf(for features: UnsafeBufferPointer<Float>) -> Int {
        var node = 0
        while node < splits.count {
            let split = splits[node]
            node = features[split.first] - features[split.second] > split.threshold ? 2 * node + 1 : 2 * node + 2
        }
        return node - splits.count
    }

    /// The leaf reached for `features` (see ``leaf(for:)-(UnsafeBufferPointer<Float>)``).
    public func leaf(for features: [Float]) -> Int {
        features.withUnsafeBufferPointer { leaf(for: $0) }
    }

    /// The increment held by leaf `index`.
    public func leafValue(_ index: Int) -> ArraySlice<Float> {
        leafValues[(index * leafLength)..<((index + 1) * leafLength)]
    }
}
