import Foundation
import Torch

extension DMFRFeatureSet {
    /// What a cache is built from and how.
    public struct BuildSettings: Sendable {
        /// The shared data folder (with `lfw/` and `yaleb/`).
        public var data: URL
        /// At most this many images of each person (the first ones), in training and testing, to size the run.
        public var imagesPerPerson: Int = 10
        /// At most this many training people (the first in DevTrain with at least two images).
        public var trainingPeople: Int = .max
        /// At most this many Yale B images of each person and lighting group (the first ones).
        public var yaleImagesPerPerson: Int = .max
        /// Seed of the synthetic copies.
        public var seed: UInt64 = 0
        /// The synthetic copies' generator.
        public var sampler: SyntheticSampler
        /// Images per forward pass.
        public var batchSize: Int = 32

        public init(data: URL, imagesPerPerson: Int = 10, trainingPeople: Int = .max, yaleImagesPerPerson: Int = .max,
                    seed: UInt64 = 0, sampler: SyntheticSampler? = nil) throws {
            guard imagesPerPerson >= 2, trainingPeople >= 2, yaleImagesPerPerson >= 1 else {
                throw DataError.invalidArgument("images per person must be at least 2, training people at least 2 and "
                    + "Yale B images per person at least 1; got \(imagesPerPerson), \(trainingPeople), \(yaleImagesPerPerson)")
            }
            self.data = data
            self.imagesPerPerson = imagesPerPerson
            self.trainingPeople = trainingPeople
            self.yaleImagesPerPerson = yaleImagesPerPerson
            self.seed = seed
            self.sampler = try sampler ?? SyntheticSampler()
        }
    }

    /// Builds the cache in `directory` with the trunk of `split`, and returns it.
    ///
    /// Every input is checked (people lists, landmarks, images) before the first image is embedded. The folder is
    /// built under a hidden name beside `directory` and renamed when complete, so a failed run leaves nothing
    /// under that name; an existing `directory` is refused.
    @discardableResult
    public static func build(_ settings: BuildSettings, split: LastLayerSplit, into directory: URL,
                             progress: Bool = true) throws -> DMFRFeatureSet {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory.path) else {
            throw DataError.invalidArgument("\(directory.path) exists; choose a new folder (nothing was written)")
        }
        let lfw = settings.data.appendingPathComponent("lfw"), yale = settings.data.appendingPathComponent("yaleb")
        let landmarks = try LandmarksFile(contentsOf: lfw.appendingPathComponent("landmarks.csv"))
        func faces(of list: String, people limit: Int) throws -> [(path: String, landmarks: FaceLandmarks)] {
            let people = try PeopleList(contentsOf: lfw.appendingPathComponent(list)).people
            return try people.filter { $0.imageCount >= 2 }.prefix(limit).flatMap { person in
                try (1...min(person.imageCount, settings.imagesPerPerson)).map { number in
                    let file = "\(person.name)/\(person.name)_\(String(format: "%04d", number)).jpg"
                    guard let record = landmarks.record(forImage: "raw/" + file) else {
                        throw DataError.invalidArgument("\(landmarks.url.path) has no landmarks for raw/\(file)")
                    }
                    let toAligned = try FaceAligner.transform(for: record.landmarks)
                    return (file, try FaceLandmarks(points: record.landmarks.points.map(toAligned.apply)))
                }
            }
        }
        let training = try faces(of: "peopleDevTrain.txt", people: settings.trainingPeople)
        let testing = try faces(of: "peopleDevTest.txt", people: .max)
        let yaleFolder = try ImageFolder(root: yale.appendingPathComponent("aligned"))
        let lighting = yaleFolder.samples.compactMap { sample in YaleLighting(fileName: sample.relativePath).map { (sample, $0) } }
        func firstOfEach(_ rule: (YaleLighting) -> Bool) -> [String] {
            var taken: [String: Int] = [:]
            return lighting.filter { rule($0.1) }.map(\.0).filter { sample in
                taken[sample.identity, default: 0] += 1
                return taken[sample.identity]! <= settings.yaleImagesPerPerson
            }.map(\.relativePath)
        }
        let frontal = firstOfEach(\.isNearFrontal), extreme = firstOfEach(\.isExtreme)
        guard !frontal.isEmpty, !extreme.isEmpty else {
            throw DataError.invalidArgument("\(yaleFolder.root.path) has no near-frontal or no extremely lit image")
        }
        for (root, paths) in [(lfw, training.map(\.path) + testing.map(\.path))] {
            let aligned = root.appendingPathComponent("aligned")
            if let missing = paths.first(where: { !manager.fileExists(atPath: aligned.appendingPathComponent($0).path) }) {
                throw DataError.invalidArgument("\(aligned.appendingPathComponent(missing).path) is missing")
            }
        }

        let staging = directory.deletingLastPathComponent()
            .appendingPathComponent(".\(directory.lastPathComponent).partial-\(getpid())", isDirectory: true)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let total = 3 * training.count + 3 * testing.count + frontal.count + extreme.count
            let bar = ProgressBar("dmfr features", total: total, unit: "img", enabled: progress)
            let sampler = settings.sampler
            let testQuality = try Degradation(resolutions: [16, 20, 24])
            let lfwAligned = lfw.appendingPathComponent("aligned")
            // Training: real, pose, pose zero-change, quality, quality zero-change.
            let trainSets = try embedSets(training, count: 5, split: split, settings: settings, bar: bar) { face, index in
                let image = try ImageCodec.decode(contentsOf: lfwAligned.appendingPathComponent(face.path))
                var generator = SeededRandom(seed: SeededRandom.derive(settings.seed, UInt64(index)))
                return [image] + (try [SyntheticDomain.pose, .quality].flatMap { domain in
                    [try sampler.sample(domain, of: image, landmarks: face.landmarks, using: &generator),
                     try sampler.sample(domain, of: image, landmarks: face.landmarks, zeroChange: true, using: &generator)]
                })
            }
            // Testing: real, cross-quality copy, cross-pose copy.
            let testSets = try embedSets(testing, count: 3, split: split, settings: settings, bar: bar) { face, index in
                let image = try ImageCodec.decode(contentsOf: lfwAligned.appendingPathComponent(face.path))
                var generator = SeededRandom(seed: SeededRandom.derive(settings.seed, 1_000_000 + UInt64(index)))
                let low = try testQuality.apply(to: image, using: &generator)
                let yaw: Double = generator.chance(0.5) ? 35 : -35
                return [image, low, try FaceReposing(yawDegrees: yaw).apply(to: image, landmarks: face.landmarks)]
            }
            let yaleAligned = yale.appendingPathComponent("aligned")
            let yaleSets = try [frontal, extreme].map { paths in
                try embedSets(paths.map { (path: $0, landmarks: FaceLandmarks?.none) }, count: 1, split: split,
                              settings: settings, bar: bar) { face, _ in
                    [try ImageCodec.decode(contentsOf: yaleAligned.appendingPathComponent(face.path))]
                }[0]
            }
            var outputs: [(String, FeatureMatrix, [String])] = []
            for (name, features) in zip(trainingSets, trainSets) { outputs.append((name, features, training.map(\.path))) }
            for (name, features) in zip(["lfw-real", "lfw-cq", "lfw-cp"], testSets) {
                outputs.append((name, features, testing.map(\.path)))
            }
            outputs += [("yaleb-frontal", yaleSets[0], frontal), ("yaleb-extreme", yaleSets[1], extreme)]
            for (name, features, paths) in outputs {
                try FeatureFile(features: features, paths: paths)
                    .write(features: staging.appendingPathComponent(name + ".npy"))
            }
            bar.finish()
            try manager.moveItem(at: staging, to: directory)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        return try DMFRFeatureSet(directory: directory)
    }

    /// The trunk features of `count` images made from each item by `images`, as `count` matrices; an image equal
    /// to the item's first (a zero-change copy) reuses its row instead of running the trunk again.
    private static func embedSets<Item>(
        _ items: [Item], count: Int, split: LastLayerSplit, settings: BuildSettings, bar: ProgressBar,
        images: (Item, Int) throws -> [Image]
    ) throws -> [FeatureMatrix] {
        var values = [[Float]](repeating: [], count: count)
        let size = LastLayerSplit.trunkSize
        for start in stride(from: 0, to: items.count, by: settings.batchSize) {
            let range = start..<min(start + settings.batchSize, items.count)
            let made = try range.map { try images(items[$0], $0) }
            var rows = [[Float]](repeating: [], count: count)
            for set in 0..<count {
                let fresh = made.indices.filter { set == 0 || made[$0][set] != made[$0][0] }
                let computed: [Float] = fresh.isEmpty ? [] : try withoutGrad {
                    try split.trunkFeatures(Batch.tensor(fresh.map { made[$0][set] })).contiguous().array(of: Float.self)
                }
                var next = 0
                for item in made.indices {
                    if fresh.contains(item) {
                        rows[set] += computed[(next * size)..<((next + 1) * size)]
                        next += 1
                    } else {
                        let base = (values[0].count / size) - made.count + item
                        rows[set] += values[0][(base * size)..<((base + 1) * size)]
                    }
                }
                if set == 0 { values[0] += rows[0] }
                bar.advance(by: fresh.count)
            }
            for set in 1..<count { values[set] += rows[set] }
        }
        return try values.map { try FeatureMatrix(rows: items.count, columns: size, values: $0) }
    }
}

/// The light direction in an Extended Yale B file name (`yaleB01_P00A+035E+15`): azimuth and elevation in degrees.
struct YaleLighting {
    var azimuth: Int
    var elevation: Int

    /// The lighting of `fileName`; nil for a name without one (the ambient images).
    init?(fileName: String) {
        let name = (fileName as NSString).lastPathComponent
        guard let a = name.range(of: "A"), let e = name.range(of: "E", range: a.upperBound..<name.endIndex),
              let azimuth = Int(name[a.upperBound..<e.lowerBound]),
              let elevation = Int(name[e.upperBound...].prefix { $0 == "+" || $0 == "-" || $0.isNumber }) else { return nil }
        self.azimuth = azimuth
        self.elevation = elevation
    }

    /// Lit within 25° of the camera axis both ways (the shared `pairs_easy` rule).
    var isNearFrontal: Bool { abs(azimuth) <= 25 && abs(elevation) <= 25 }
    /// Extreme light (the shared `pairs_hard` rule): azimuth ≥ 70° or elevation ≥ 45°.
    var isExtreme: Bool { abs(azimuth) >= 70 || abs(elevation) >= 45 }
}
