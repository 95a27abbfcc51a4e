import Visage

/// Chinese whispers graph clustering (Biemann 2006) as dlib's `chinese_whispers_clustering` runs it on face
/// templates: an edge of weight 1 joins every two faces scoring at least the threshold (and each face to itself);
/// every node starts in its own cluster, and `iterations` × N times a node chosen at random takes the label with
/// the largest total edge weight among its neighbours.
public enum ChineseWhispers {
    /// Cluster labels 0..<k for the rows of `similarity` (N×N, symmetric), numbered by first appearance.
    public static func cluster(similarity: [[Float]], threshold: Double, iterations: Int = 100, seed: UInt64 = 0) -> [Int] {
        let links = similarity.indices.map { i in
            similarity.indices.filter { $0 == i || Double(similarity[i][$0]) >= threshold }
        }
        return cluster(links: links, iterations: iterations, seed: seed)
    }

    /// Cluster labels 0..<k for the nodes of a graph given as each node's linked nodes (itself included),
    /// numbered by first appearance.
    public static func cluster(links: [[Int]], iterations: Int = 100, seed: UInt64 = 0) -> [Int] {
        let count = links.count
        guard count > 0 else { return [] }
        var labels = Array(0..<count)
        var random = SeededRandom(seed: seed)
        for _ in 0..<(iterations * count) {
            let node = Int(random.next() % UInt64(count))
            var weights: [Int: Int] = [:]
            for other in links[node] { weights[labels[other], default: 0] += 1 }
            // Ties go to the smallest label, so that a run is reproducible from its seed.
            labels[node] = weights.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        }
        var renumbered: [Int: Int] = [:]
        return labels.map { label in
            if let known = renumbered[label] { return known }
            renumbered[label] = renumbered.count
            return renumbered[label]!
        }
    }
}
