import ArgumentParser
import Foundation
import VisageGallery

/// `visage gallery cluster`: group the faces assigned to nobody into people, and name the groups.
struct GalleryClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster the unassigned faces (Chinese whispers, as dlib), list the clusters, or name one.",
        discussion: """
            Clustering links every two unassigned faces whose templates score at least the threshold and runs \
            Chinese whispers on that graph (dlib's chinese_whispers_clustering); it replaces the previous \
            clusters. --list prints them; --name LABEL --as NAME assigns a cluster's faces to a person (new or \
            existing). --truth-from-folders compares the clusters with the photos' folder names: purity, \
            pairwise precision, recall and F-measure, people split and clusters merged. The default threshold is \
            the verification one, which chains strangers together in a large library: choose a stricter one on \
            people of your own whose names you know (scripts/experiments/gallery-cluster-threshold.sh does so on \
            LFW).
            """)

    @OptionGroup var file: GalleryFileOption

    @OptionGroup var threshold: GalleryThresholdOption

    @Option(help: "Chinese whispers passes (each updates as many random nodes as there are faces).")
    var iterations = 100

    @Option(help: "Seed of the node order.")
    var seed: UInt64 = 0

    @Flag(help: "Compare the clusters with the photos' folder names as identities.")
    var truthFromFolders = false

    @Flag(help: "List the clusters instead of clustering.")
    var list = false

    @Option(help: "Name this cluster (with --as) instead of clustering.")
    var name: Int?

    @Option(name: .customLong("as"), help: "The person the cluster named by --name is.")
    var person: String?

    func validate() throws {
        guard (name == nil) == (person == nil) else { throw ValidationError("--name and --as go together") }
        guard iterations > 0 else { throw ValidationError("--iterations must be positive, got \(iterations)") }
    }

    func run() throws {
        let store = try file.open()
        if let name, let person {
            let faces = try store.nameCluster(name, as: person)
            print("cluster \(name): \(faces) faces assigned to '\(person)'")
            return
        }
        let origins = try store.faceOrigins()
        if list {
            for cluster in try store.clusters() {
                let photos = cluster.faces.prefix(5).map { origins[$0].map { "\($0.path)#\($0.rank)" } ?? "?" }
                print("cluster \(cluster.label): \(cluster.faces.count) faces: \(photos.joined(separator: ", "))"
                    + (cluster.faces.count > 5 ? ", …" : ""))
            }
            return
        }
        let stamp = try store.engine().stamp
        try store.requireCoverage(of: stamp, assignedOnly: false)
        let templates = try store.templates(engine: stamp, unassignedOnly: true)
        guard !templates.isEmpty else { throw GalleryError("\(file.gallery) has no unassigned face to cluster") }
        let (value, origin) = try threshold.resolve(store, stamp: stamp)
        let index = try TemplateIndex(engine: stamp, templates: templates)
        let labels = ChineseWhispers.cluster(links: index.links(atLeast: value), iterations: iterations, seed: seed)
        try store.setClusters(Dictionary(uniqueKeysWithValues: zip(index.faces, labels)), engine: stamp,
                              algorithm: "Chinese whispers, threshold \(value), \(iterations) iterations, seed \(seed)")
        let sizes = Dictionary(grouping: labels, by: { $0 }).values.map(\.count)
        print("\(templates.count) unassigned faces → \(sizes.count) clusters (\(sizes.count { $0 == 1 }) single faces, "
            + "largest \(sizes.max() ?? 0)); threshold \(value) (\(origin))")
        if truthFromFolders {
            let identities = index.faces.map { face in
                origins[face].map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().lastPathComponent } ?? ""
            }
            let agreement = ClusterAgreement(clusters: labels, identities: identities)
            print(String(format: "against %d folder identities: purity %.4f, pairwise precision %.4f, recall %.4f, "
                + "F-measure %.4f; %d people split, %d clusters merging people", agreement.identities, agreement.purity,
                agreement.pairwisePrecision, agreement.pairwiseRecall, agreement.pairwiseF, agreement.splitPeople,
                agreement.mergedClusters))
        }
    }
}
