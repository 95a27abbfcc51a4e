import ArgumentParser
import Foundation
import SyntheticFaces
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

    @Flag(help: ArgumentHelp("Leave out images that cannot be read, listing them (and in the run's skipped-images.txt); "
        + "without it the run stops before training, naming every such image."))
    var skipBad = false

    @Option(help: "Synthetic identities (without --data).")
    var syntheticIdentities = 200

    @Option(help: "Synthetic photos per identity (without --data).")
    var syntheticImages = 16

    @Option(help: "Seed of the synthetic people (without --data).")
    var syntheticSeed: UInt64 = 1

    /// The training faces, their identity count, and the images left out as unreadable (with `--skip-bad`).
    ///
    /// Every image of a folder is decoded once before training, so a bad file stops the run at the start, not
    /// hours in when the loader reaches it.
    func source() throws -> (source: any FaceSource, classes: Int, description: String, skipped: [BadImage]) {
        guard let data else {
            let dataset = try SyntheticDataset(identities: syntheticIdentities, imagesPerIdentity: syntheticImages,
                                               seed: syntheticSeed, ranges: .standard)
            return (try SyntheticFaceSource(dataset: dataset), syntheticIdentities,
                    "\(syntheticIdentities) synthetic identities × \(syntheticImages) photos (seed \(syntheticSeed))", [])
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
        let progress = ProgressBar("check images", total: folder.count, unit: "img")
        let bad: [BadImage]
        (folder, bad) = try folder.usable(skippingBad: skipBad, progress: progress)
        progress.finish()
        for image in bad { FileHandle.standardError.write(Data("skipped \(image)\n".utf8)) }
        return (folder, folder.classCount,
                "\(folder.count) images of \(folder.classCount) identities from \(data)"
                    + (people.map { " (people in \($0))" } ?? "") + (bad.isEmpty ? "" : ", \(bad.count) unreadable left out"),
                bad)
    }
}
