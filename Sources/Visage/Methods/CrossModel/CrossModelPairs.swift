import Foundation
import Torch

/// Training pairs for a cross-model transformation: for each image, its source-model feature, its target-model
/// feature and the aligned face itself (read from disk when a batch needs it, resized to 56×56).
///
/// Rows of the two feature files are matched by image path; both files must list exactly the same images.
/// As a ``FaceSource`` it serves the faces, labelled by identity (the folder that holds each image).
public struct CrossModelPairs: FaceSource {
    /// Image paths, in the source file's order.
    public let paths: [String]
    /// Source features, row `i` of image `paths[i]`.
    public let source: FeatureMatrix
    /// Target features, reordered to match `paths`.
    public let target: FeatureMatrix
    /// The folder the image paths are relative to.
    public let imageRoot: URL
    /// The model of the source features (from its stamp or file name).
    public let sourceModel: String
    /// The model of the target features.
    public let targetModel: String
    /// Identity index of each image (by its folder), in order of first appearance.
    public let labels: [Int]
    /// Identity names by index.
    public let identities: [String]
    /// Side of the faces served.
    public let faceSize: Int

    /// Pairs the rows of `source` and `target` by image: identity folder and file name
    /// (``FeatureFile/imageKey(_:)``), so lists written relative to different folders still pair up. Images are
    /// read at the source file's paths.
    /// - Throws: ``CrossModelError/mismatchedPairs(_:)`` naming the first image that one file lists and the other
    ///   does not (and how many more), or an image listed twice.
    public init(source: FeatureFile, target: FeatureFile, imageRoot: URL, sourceModel: String, targetModel: String,
                faceSize: Int = R3ANGenerator.faceSize) throws {
        func name(_ file: FeatureFile, _ fallback: String) -> String { file.featuresURL?.path ?? fallback }
        let key = FeatureFile.imageKey
        var targetRows: [String: Int] = [:]
        for (row, path) in target.paths.enumerated() where targetRows.updateValue(row, forKey: key(path)) != nil {
            throw CrossModelError.mismatchedPairs("\(name(target, "target features")) lists \(key(path)) twice")
        }
        var seen = Set<String>()
        for path in source.paths where !seen.insert(key(path)).inserted {
            throw CrossModelError.mismatchedPairs("\(name(source, "source features")) lists \(key(path)) twice")
        }
        let onlySource = source.paths.filter { targetRows[key($0)] == nil }
        let onlyTarget = target.paths.filter { !seen.contains(key($0)) }
        let sourceName = name(source, "source features"), targetName = name(target, "target features")
        for (missing, from, to) in [(onlySource, sourceName, targetName), (onlyTarget, targetName, sourceName)] {
            guard let first = missing.first else { continue }
            throw CrossModelError.mismatchedPairs(
                "\(from) lists \(first) but \(to) does not"
                    + (missing.count > 1 ? " (\(missing.count - 1) more such images)" : "")
                    + "; source and target features must describe the same images")
        }
        var targetValues = [Float]()
        targetValues.reserveCapacity(target.features.values.count)
        for path in source.paths { targetValues += target.features.row(targetRows[key(path)]!) }
        self.paths = source.paths
        self.source = source.features
        self.target = try FeatureMatrix(rows: source.paths.count, columns: target.dimension, values: targetValues)
        self.imageRoot = imageRoot
        self.sourceModel = sourceModel
        self.targetModel = targetModel
        self.faceSize = faceSize
        var identityIndex: [String: Int] = [:]
        var identities: [String] = []
        labels = paths.map { path in
            let identity = (path as NSString).deletingLastPathComponent
            if let index = identityIndex[identity] { return index }
            identityIndex[identity] = identities.count
            identities.append(identity)
            return identities.count - 1
        }
        self.identities = identities
    }

    /// Loads two feature files (each `.npy` with its `.txt` list) and pairs them; the model names come from their
    /// stamps or file names.
    public static func load(source: URL, target: URL, imageRoot: URL) throws -> CrossModelPairs {
        let sourceFile = try FeatureFile.load(features: source)
        let targetFile = try FeatureFile.load(features: target)
        return try CrossModelPairs(
            source: sourceFile, target: targetFile, imageRoot: imageRoot,
            sourceModel: try FeatureStamp.modelName(for: source), targetModel: try FeatureStamp.modelName(for: target))
    }

    /// The pairs of the images at `rows`, in that order.
    public func subset(_ rows: [Int]) throws -> CrossModelPairs {
        try CrossModelPairs(
            source: FeatureFile(features: source.selecting(rows: rows), paths: rows.map { paths[$0] }),
            target: FeatureFile(features: target.selecting(rows: rows), paths: rows.map { paths[$0] }),
            imageRoot: imageRoot, sourceModel: sourceModel, targetModel: targetModel, faceSize: faceSize)
    }

    /// Dimension of the source features.
    public var sourceDimension: Int { source.columns }
    /// Dimension of the target features.
    public var targetDimension: Int { target.columns }

    // MARK: FaceSource

    /// The models and dimensions, as settings a resumed training run must share.
    var modelSettings: [String: String] {
        ["source_model": sourceModel, "target_model": targetModel,
         "source_dimension": "\(sourceDimension)", "target_dimension": "\(targetDimension)"]
    }

    /// Number of images.
    public var count: Int { paths.count }

    /// Identity index of image `index`.
    public func label(at index: Int) -> Int { labels[index] }

    /// The image path of `index`.
    public func name(at index: Int) -> String { paths[index] }

    /// The face of `index`, resized to `faceSize`×`faceSize` (area filter).
    public func image(at index: Int) throws -> Image {
        try ImageCodec.decode(contentsOf: URL.resolving(paths[index], against: imageRoot))
            .resized(width: faceSize, height: faceSize, filter: .area)
    }
}

extension CrossModelPairs {
    /// The source and target features of `rows` as `[rows.count, D]` tensors.
    public func featureTensors(rows: [Int]) throws -> (source: Tensor, target: Tensor) {
        (try Tensor(rows.flatMap { source.row($0) }, shape: [rows.count, source.columns]),
         try Tensor(rows.flatMap { target.row($0) }, shape: [rows.count, target.columns]))
    }

    /// The source features of `rows` and their target features L2-normalized and scaled to norm `targetNorm`, as
    /// the transformers' losses regress them: cosine similarity compares directions, and the losses' weights then
    /// do not depend on the target model's scale.
    public func featureTensors(rows: [Int], targetNorm: Double) throws -> (source: Tensor, target: Tensor) {
        let (source, target) = try featureTensors(rows: rows)
        return (source, Functional.normalize(target, dim: 1) * targetNorm)
    }
}

extension CrossModelPairs {
    /// Divides the pairs into train and test parts sharing no identity: `round(testFraction × identities)` of
    /// them (at least one, and at least one left to train on), drawn by a seeded Fisher–Yates shuffle of the
    /// sorted identity names, so the same seed gives the same split everywhere.
    /// - Throws: ``DataError/invalidArgument(_:)`` when `testFraction` is not strictly between 0 and 1 or there
    ///   are fewer than two identities.
    public func splitByIdentity(testFraction: Double, seed: UInt64) throws -> (train: CrossModelPairs, test: CrossModelPairs) {
        guard testFraction > 0, testFraction < 1 else {
            throw DataError.invalidArgument("the test fraction must be strictly between 0 and 1, got \(testFraction)")
        }
        guard identities.count >= 2 else {
            throw DataError.invalidArgument("\(identities.count) identity cannot be split into train and test")
        }
        var names = identities.sorted()
        var generator = SeededRandom(seed: seed)
        for index in stride(from: names.count - 1, to: 0, by: -1) {
            names.swapAt(index, generator.index(below: index + 1))
        }
        let testCount = min(max(Int((testFraction * Double(names.count)).rounded()), 1), names.count - 1)
        return try split(testIdentities: Set(names.prefix(testCount)))
    }

    /// Divides the pairs into the identities `trainPeople` lists (the train part) and every other identity (the
    /// test part), e.g. LFW's `peopleDevTrain.txt`. A listed name matches an identity by the identity's folder
    /// name, the last component of its folder path (`aligned/Aaron_Peirsol` is `Aaron_Peirsol`), as LFW's lists
    /// name people; listed people without images here are ignored.
    /// - Throws: ``DataError/invalidArgument(_:)`` naming the list when it names none of the identities, or all
    ///   of them so that nothing is left for test.
    public func splitByIdentity(trainPeople: PeopleList) throws -> (train: CrossModelPairs, test: CrossModelPairs) {
        let listed = Set(trainPeople.names)
        let test = Set(identities.filter { !listed.contains(($0 as NSString).lastPathComponent) })
        guard test.count < identities.count else {
            throw DataError.invalidArgument(
                "\(trainPeople.url.path) names none of the \(identities.count) identities of the features (an "
                    + "identity is its folder's name, e.g. '\(identities.first.map { ($0 as NSString).lastPathComponent } ?? "")'); "
                    + "nothing is left to train on")
        }
        guard !test.isEmpty else {
            throw DataError.invalidArgument(
                "\(trainPeople.url.path) names every one of the \(identities.count) identities of the features; "
                    + "nothing is left for test")
        }
        return try split(testIdentities: test)
    }

    /// The pairs of the identities not in `testIdentities`, and those of the identities in it.
    private func split(testIdentities: Set<String>) throws -> (train: CrossModelPairs, test: CrossModelPairs) {
        let isTest = paths.indices.map { testIdentities.contains(identities[labels[$0]]) }
        return (try subset(paths.indices.filter { !isTest[$0] }), try subset(paths.indices.filter { isTest[$0] }))
    }
}

extension CrossModelPairs {
    /// Throws unless these pairs have features on both sides and map `sourceDimension` → `targetDimension`
    /// features between two differently named models, as `network` (named in the message) does, and fill at least
    /// one batch of `batchSize`.
    func checkTrainable(by network: String, sourceDimension: Int, targetDimension: Int, batchSize: Int) throws {
        guard self.sourceDimension > 0, self.targetDimension > 0 else {
            throw CrossModelError.incompatibleFeatures(
                "the pairs are \(self.sourceDimension) → \(self.targetDimension)-dimensional; a transformer needs "
                    + "features of at least one dimension on both sides")
        }
        // A transformer stamped X → X would pass `visage transform`'s stamp check for features of either side, and
        // its output would be stamped as the model it came from: refuse it whatever the dimensions.
        guard sourceModel != targetModel else {
            throw CrossModelError.invalidConfiguration(
                "the source and target features both belong to model '\(sourceModel)' (named by their stamps or "
                    + "file names); a transformer from '\(sourceModel)' to itself could not tell its input from its "
                    + "output. Give the files different names or stamps (NAME.json beside NAME.npy: "
                    + "{\"model\": \"…\", \"dimension\": D})")
        }
        guard self.sourceDimension == sourceDimension, self.targetDimension == targetDimension else {
            throw CrossModelError.incompatibleFeatures(
                "the pairs are \(self.sourceDimension) → \(self.targetDimension)-dimensional, the \(network) "
                    + "\(sourceDimension) → \(targetDimension)")
        }
        guard count >= batchSize else {
            throw CrossModelError.invalidConfiguration(
                "\(count) training pairs are fewer than one batch of \(batchSize)")
        }
    }
}
