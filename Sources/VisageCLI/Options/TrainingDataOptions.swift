import ArgumentParser
import Foundation
import Visage

/// Where training faces come from: an aligned ImageFolder (optionally restricted to a people list), or the
/// synthetic face generator rendering on the fly (the default).
struct TrainingDataOptions: ParsableArguments {
    @Option(help: "Aligned ImageFolder to train on (<root>/<identity>/<image>); synthetic faces when absent.")
    var data: String?

    @Option(help: "People list (LFW format, e.g. peopleDevTrain.txt) restricting --data to its identities.")
    var people: String?

    @Option(help: "Leave out identities with fewer images than this.")
    var minImages = 1

    @Option(help: "Synthetic identities (without --data).")
    var syntheticIdentities = 200

    @Option(help: "Synthetic photos per identity (without --data).")
    var syntheticImages = 16

    @Option(help: "Seed of the synthetic people (without --data).")
    var syntheticSeed: UInt64 = 1

    /// The training faces and their identity count.
    func source() throws -> (source: any FaceSource, classes: Int, description: String) {
        guard let data else {
            let dataset = try SyntheticDataset(identities: syntheticIdentities, imagesPerIdentity: syntheticImages,
                                               seed: syntheticSeed, ranges: .standard)
            return (try SyntheticFaceSource(dataset: dataset), syntheticIdentities,
                    "\(syntheticIdentities) synthetic identities × \(syntheticImages) photos (seed \(syntheticSeed))")
        }
        var folder = try ImageFolder(root: URL(fileURLWithPath: data))
        if let people {
            folder = try folder.subset(identities: PeopleList(contentsOf: URL(fileURLWithPath: people)).names)
        }
        if minImages > 1 {
            folder = try folder.subset(identities: folder.classNames.filter {
                folder.samples(ofIdentity: $0).count >= minImages
            })
        }
        return (folder, folder.classCount,
                "\(folder.count) images of \(folder.classCount) identities from \(data)"
                    + (people.map { " (people in \($0))" } ?? ""))
    }
}
