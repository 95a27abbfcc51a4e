import Foundation

/// Trunk features (``LastLayerSplit``) of everything DMFR trains and tests on, cached once in a folder so that every
/// mode and seed trains and is evaluated in seconds: each set is `NAME.npy` (float32 N×512) with `NAME.txt`
/// (`identity/file` per row).
///
/// Training (LFW View 1's DevTrain people with at least two images, up to a number of people and images each):
/// `train-real`, its synthetic copies
/// `train-pose` and `train-quality` (``SyntheticSampler``), and their zero-change copies `train-pose-zero` and
/// `train-quality-zero`, row for row. Testing: `lfw-real` (the DevTest people with at least two images, up to the same
/// number of images each), `lfw-cq` (each downsampled to
/// 16, 20 or 24 px and upsampled back: the cross-quality protocol) and `lfw-cp` (each re-posed by ±35° yaw: the
/// cross-pose protocol), row for row; `yaleb-frontal` (Extended Yale B lit within 25° of the axis) and
/// `yaleb-extreme` (azimuth ≥ 70° or elevation ≥ 45°: the hard-lighting protocol).
public struct DMFRFeatureSet {
    /// The training sets, real first.
    public static let trainingSets = ["train-real", "train-pose", "train-pose-zero", "train-quality", "train-quality-zero"]
    /// The test sets.
    public static let testSets = ["lfw-real", "lfw-cq", "lfw-cp", "yaleb-frontal", "yaleb-extreme"]

    /// The folder.
    public let directory: URL

    /// The cache in `directory`.
    /// - Throws: ``DataError/invalidArgument(_:)`` naming the first missing file.
    public init(directory: URL) throws {
        for name in Self.trainingSets + Self.testSets {
            let file = directory.appendingPathComponent(name + ".npy")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw DataError.invalidArgument("\(file.path) is missing: \(directory.path) is not a DMFR feature cache "
                    + "(`visage dmfr features` writes one)")
            }
        }
        self.directory = directory
    }

    /// The set called `name`, checked to be 512-dimensional.
    public func load(_ name: String) throws -> FeatureFile {
        try FeatureFile.load(features: directory.appendingPathComponent(name + ".npy"),
                             expectedDimension: LastLayerSplit.trunkSize)
    }

    /// Each row's identity as an index into the sorted identities of `file`.
    public static func labels(of file: FeatureFile) -> (labels: [Int], identities: [String]) {
        let names = file.paths.map { String($0.split(separator: "/").dropLast().last ?? "") }
        let identities = Array(Set(names)).sorted()
        let index = Dictionary(uniqueKeysWithValues: identities.enumerated().map { ($1, $0) })
        return (names.map { index[$0]! }, identities)
    }
}
