import ArgumentParser
import Foundation
import Visage
import VisageGallery

/// `visage gallery calibrate`: the open-set threshold at a chosen false-accept rate, from a pair list.
struct GalleryCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Store the open-set threshold that accepts at most a given fraction of a pair list's mismatched pairs.",
        discussion: """
            The pairs (LFW format) are scored on features from `visage embed` by the gallery's engine (their \
            stamp must be the gallery's engine's). The threshold stored is the lowest score at which the \
            mismatched pairs accepted are at most --far of them; identify, verify and cluster use it.
            """)

    @OptionGroup var file: GalleryFileOption

    @Option(help: "Pair list (LFW format).")
    var pairs: String

    @Option(help: "Features of the pairs' images from `visage embed` with the gallery's engine (.npy; .txt and .json beside it).")
    var features: String

    @Option(help: "False-accept rate to hold, e.g. 0.001.")
    var far: Double

    func validate() throws {
        guard far > 0, far < 1 else { throw ValidationError("--far must be between 0 and 1, got \(far)") }
    }

    func run() throws {
        let store = try file.open()
        let stamp = try store.engine().stamp
        let featuresURL = URL(fileURLWithPath: features)
        guard let featureStamp = try FeatureStamp.read(for: featuresURL) else {
            throw GalleryError("\(features) has no stamp (\(FeatureStamp.url(for: featuresURL).path)); embed the pairs' "
                + "images with `visage embed --engine` so that their engine can be checked")
        }
        guard featureStamp.model == stamp else {
            throw GalleryError("\(features) holds features of \(featureStamp.model) but the gallery's engine is \(stamp)")
        }
        let pairList = try PairList(contentsOf: URL(fileURLWithPath: pairs))
        let scored = try ScoredPairs(pairs: pairList, features: FeatureFile.load(features: featuresURL))
        let curve = try ROCCurve(scored)
        guard let point = curve.points.last(where: { $0.falseAcceptRate <= far * (1 + 1e-9) && $0.threshold != nil }),
              let value = point.threshold else {
            throw GalleryError("no threshold of \(pairs) accepts at most \(far) of its \(curve.negativeCount) mismatched pairs")
        }
        if Double(curve.negativeCount) * far < 1 {
            printError("warning: \(curve.negativeCount) mismatched pairs cannot measure a false-accept rate of \(far); "
                + "the threshold accepts none of them")
        }
        let origin = String(format: "FAR %.4g on %@ (measured FAR %.4g, TAR %.4f)", far, pairs, point.falseAcceptRate,
                            point.trueAcceptRate)
        try store.setThreshold(value, origin: origin, for: stamp)
        print("\(stamp): threshold \(value) — \(origin)")
    }
}
