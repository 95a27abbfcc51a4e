import Testing
@testable import Visage

@Suite("RegressionTree")
struct RegressionTreeTests {
    /// Depth 2: node 0 compares pixels 0 and 1, node 1 pixels 2 and 0, node 2 pixels 1 and 2.
    let tree = RegressionTree(
        splits: [.init(first: 0, second: 1, threshold: 5), .init(first: 2, second: 0, threshold: -1),
                 .init(first: 1, second: 2, threshold: 0.5)],
        leaves: [[1, 1], [2, 2], [3, 3], [4, 4]], leafLength: 2)!

    @Test("walks left when the difference exceeds the threshold, right otherwise (ties go right)")
    func walk() {
        // 10 − 3 = 7 > 5: left to node 1; 0 − 10 = −10 ≤ −1: right to node 4, leaf 1.
        #expect(tree.leaf(for: [10, 3, 0]) == 1)
        // 10 − 3 > 5, then 20 − 10 = 10 > −1: node 3, leaf 0.
        #expect(tree.leaf(for: [10, 3, 20]) == 0)
        // 1 − 3 ≤ 5: right to node 2; 3 − 0 > 0.5: node 5, leaf 2.
        #expect(tree.leaf(for: [1, 3, 0]) == 2)
        // 8 − 3 = 5 is not greater than 5: right; 3 − 3 ≤ 0.5: node 6, leaf 3.
        #expect(tree.leaf(for: [8, 3, 3]) == 3)
        #expect(Array(tree.leafValue(2)) == [3, 3])
    }

    @Test("an incomplete tree or a leaf of the wrong length is refused")
    func incomplete() {
        #expect(RegressionTree(splits: [.init(first: 0, second: 1, threshold: 0)], leaves: [[1]], leafLength: 1) == nil)
        let twoSplits = [RegressionTree.Split](repeating: .init(first: 0, second: 1, threshold: 0), count: 2)
        #expect(RegressionTree(splits: twoSplits, leaves: [[1], [2], [3]], leafLength: 1) == nil)
        #expect(RegressionTree(splits: [.init(first: 0, second: 1, threshold: 0)], leaves: [[1], [2, 3]],
                               leafLength: 1) == nil)
        #expect(RegressionTree(splits: [], leaves: [[7]], leafLength: 1)?.leaf(for: []) == 0)
    }
}
