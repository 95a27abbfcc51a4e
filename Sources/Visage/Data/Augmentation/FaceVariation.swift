import Foundation

/// Varied copies of aligned faces — flipped, re-cropped, re-lit, degraded — for training sets that need no labels:
/// the same face embedded by two engines is a cross-model training pair, and a teacher's embedding of any face is a
/// distillation target, so every copy adds a pair. Copy `k` of image `i` depends only on the seed, `i` and `k`, so a
/// set can be extended (more copies) or rebuilt and gets the same bytes.
public struct FaceVariation: Sendable, Equatable {
    /// Flips, crop-and-rescale and photometric jitter, applied to every copy.
    public var augmentation: Augmentation
    /// Probability that a copy is also re-lit by a random directional light.
    public var relightProbability: Double
    /// Strength of that light, 0 (none) … 1 (extreme side light), see ``IlluminationChange/random(strength:using:)``.
    public var relightStrength: Double
    /// Probability that a copy is also degraded (downsampled, blurred, noisy, compressed, upsampled back).
    public var degradeProbability: Double
    /// The degradation applied to those copies.
    public var degradation: Degradation

    /// Variation settings; the defaults keep the face recognizable to a strong engine: flips, crops keeping 85–100 %
    /// of the side, ±20 % brightness and contrast, a third of the copies re-lit and a third degraded to 24–64 px.
    public init(
        augmentation: Augmentation = Augmentation(
            flipProbability: 0.5, cropScale: 0.85...1, brightness: 0.2, contrast: 0.2, gamma: 0.3),
        relightProbability: Double = 1.0 / 3, relightStrength: Double = 0.6,
        degradeProbability: Double = 1.0 / 3, degradation: Degradation? = nil
    ) throws {
        for (name, probability) in [("relight", relightProbability), ("degrade", degradeProbability)]
        where !(0...1).contains(probability) {
            throw DataError.invalidArgument("\(name) probability must lie in 0…1, got \(probability)")
        }
        guard (0...1).contains(relightStrength) else {
            throw DataError.invalidArgument("relight strength must lie in 0…1, got \(relightStrength)")
        }
        self.augmentation = augmentation
        self.relightProbability = relightProbability
        self.relightStrength = relightStrength
        self.degradeProbability = degradeProbability
        self.degradation = try degradation ?? Degradation(
            resolutions: [24, 32, 48, 64], blurSigma: 0...1, noiseSigma: 0...4, jpegQuality: 40...90)
    }

    /// Copy `copy` of `image`, the `index`-th image of its set, under `seed`.
    public func variant(of image: Image, index: Int, copy: Int, seed: UInt64) throws -> Image {
        var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(index), UInt64(copy)))
        var result = augmentation.apply(to: image, using: &generator)
        if generator.chance(relightProbability) {
            result = IlluminationChange.random(strength: relightStrength, using: &generator).apply(to: result)
        }
        if generator.chance(degradeProbability) {
            result = try degradation.apply(to: result, using: &generator)
        }
        return result
    }

    /// Writes `copies` variants of every image of `folder` as `directory/<identity>/<stem>_v<k>.<ext>` (with the
    /// original as `<stem>_v0` first when `includeOriginals`), and returns the number of images written.
    ///
    /// The set is built in a hidden sibling folder and renamed to `directory` only when complete, so a failed or
    /// killed run leaves no partial set under that name; an existing `directory` is refused, never overwritten.
    @discardableResult
    public func write(
        _ folder: ImageFolder, copies: Int, includeOriginals: Bool, seed: UInt64, to directory: URL,
        jpegQuality: Int = 92, threads: Int = 2, progress: Bool = true
    ) throws -> Int {
        guard copies >= 0, copies <= 10_000, copies > 0 || includeOriginals else {
            throw DataError.invalidArgument(
                "copies per image must lie in 1…10,000 (or 0 with the originals), got \(copies)")
        }
        guard threads >= 1 else { throw DataError.invalidArgument("threads must be at least 1, got \(threads)") }
        let manager = FileManager.default
        guard !manager.fileExists(atPath: directory.path) else {
            throw DataError.invalidArgument("\(directory.path) exists; choose a new folder (nothing was written)")
        }
        let staging = directory.deletingLastPathComponent()
            .appendingPathComponent(".\(directory.lastPathComponent).partial-\(getpid())", isDirectory: true)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for identity in folder.classNames {
                try manager.createDirectory(at: staging.appendingPathComponent(identity), withIntermediateDirectories: true)
            }
        } catch {
            throw DataError.invalidArgument("cannot create \(staging.path): \(error.localizedDescription)")
        }
        let perImage = copies + (includeOriginals ? 1 : 0)
        let bar = ProgressBar("augment", total: folder.samples.count * perImage, unit: "img", enabled: progress)
        let samples = folder.samples
        do {
            try forEachIndexInParallel(samples.count, threads: threads, advance: { bar.advance(by: $0 * perImage) }) {
                index in
                try writeVariants(of: samples[index], index: index, copies: copies, includeOriginals: includeOriginals,
                                  seed: seed, into: staging, jpegQuality: jpegQuality)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        do {
            try manager.moveItem(at: staging, to: directory)
        } catch {
            try? manager.removeItem(at: staging)
            throw DataError.invalidArgument(
                "cannot move the finished set into place at \(directory.path): \(error.localizedDescription)")
        }
        bar.finish()
        return samples.count * perImage
    }

    /// Writes copy 0 (the original, when included) … `copies` of one sample into its identity's folder.
    private func writeVariants(
        of sample: ImageFolder.Sample, index: Int, copies: Int, includeOriginals: Bool, seed: UInt64,
        into staging: URL, jpegQuality: Int
    ) throws {
        let image = try ImageCodec.decode(contentsOf: sample.url)
        let name = URL(fileURLWithPath: sample.relativePath)
        let stem = name.deletingPathExtension().lastPathComponent
        let ext = name.pathExtension.isEmpty ? "png" : name.pathExtension
        let folder = staging.appendingPathComponent(sample.identity)
        for copy in (includeOriginals ? 0 : 1)...copies {
            let output = copy == 0 ? image : try variant(of: image, index: index, copy: copy, seed: seed)
            try ImageCodec.write(output, to: folder.appendingPathComponent("\(stem)_v\(copy).\(ext)"),
                                 jpegQuality: jpegQuality)
        }
    }
}
