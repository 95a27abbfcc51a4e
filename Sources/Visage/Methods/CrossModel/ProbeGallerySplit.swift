/// Which images are probes and which form the gallery in the cross-model identification experiments
/// (Tables 4–6): the first image of every identity is enrolled, every later one is a probe.
public struct ProbeGallerySplit: Sendable, Equatable {
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
