/// How well a clustering agrees with the true identities: purity, pairwise precision, recall and F-measure, and
/// how many people were split over several clusters and how many clusters merge several people.
public struct ClusterAgreement: Sendable, Equatable {
    public var items: Int
    public var clusters: Int
    public var identities: Int
    /// Fraction of items whose cluster's most common identity is theirs.
    public var purity: Double
    /// Of the pairs put in one cluster, the fraction that are one person.
    public var pairwisePrecision: Double
    /// Of the pairs of one person, the fraction put in one cluster.
    public var pairwiseRecall: Double
    public var pairwiseF: Double
    /// People whose items fall in more than one cluster.
    public var splitPeople: Int
    /// Clusters holding items of more than one person.
    public var mergedClusters: Int

    /// Compares `clusters[i]` with `identities[i]`.
    public init<Identity: Hashable>(clusters labels: [Int], identities truth: [Identity]) {
        precondition(labels.count == truth.count, "ClusterAgreement: one cluster label per identity")
        var table: [Int: [Identity: Int]] = [:]
        var clustersOf: [Identity: Set<Int>] = [:]
        for (label, identity) in zip(labels, truth) {
            table[label, default: [:]][identity, default: 0] += 1
            clustersOf[identity, default: []].insert(label)
        }
        func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        let together = table.values.reduce(0) { $0 + pairs($1.values.reduce(0, +)) }
        let samePerson = Dictionary(grouping: truth, by: { $0 }).values.reduce(0) { $0 + pairs($1.count) }
        let both = table.values.reduce(0) { sum, cell in sum + cell.values.reduce(0) { $0 + pairs($1) } }
        items = labels.count
        clusters = table.count
        identities = clustersOf.count
        purity = labels.isEmpty ? 0 : Double(table.values.reduce(0) { $0 + ($1.values.max() ?? 0) }) / Double(labels.count)
        pairwisePrecision = together == 0 ? 1 : both / together
        pairwiseRecall = samePerson == 0 ? 1 : both / samePerson
        let sum = pairwisePrecision + pairwiseRecall
        pairwiseF = sum == 0 ? 0 : 2 * pairwisePrecision * pairwiseRecall / sum
        splitPeople = clustersOf.values.count { $0.count > 1 }
        mergedClusters = table.values.count { $0.count > 1 }
    }
}
