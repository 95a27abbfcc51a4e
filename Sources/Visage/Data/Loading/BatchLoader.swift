import Foundation
import Torch

/// Turns a ``FaceSource`` into batches of normalized tensors, decoding on background threads.
///
/// Worker threads decode and transform whole batches ahead of the consumer, at most `prefetch` batches at a
/// time, so memory stays bounded whatever the dataset size. Order is deterministic: sequential when `shuffle`
/// is off (evaluation), else a permutation drawn from `seed` and the epoch number, so a resumed run sees the
/// same order as an uninterrupted one. With `identityGroupSize` K the permutation keeps up to K images of one
/// identity next to each other (every identity's images shuffled and cut into groups of K, the groups
/// shuffled), so each batch holds same-identity pairs — which losses on pairs, such as the Distribution
/// Distillation Loss, need — while every image is still seen once per epoch. Transforms get a generator seeded per sample, so augmentation is
/// reproducible too regardless of which thread runs it.
///
/// With a `hardTransform` every batch also carries a hard view of each sample (``Batch/hardImages``): the image
/// after `transform` (so a flip or crop is shared by both views) passed through `hardTransform`, typically a
/// ``Degradation``, as the Distribution Distillation Loss's easy/hard pairs need.
public struct BatchLoader: Sendable {
    /// Per-sample image transform: augmentation or degradation. Must be thread-safe.
    public typealias Transform = @Sendable (Image, inout SeededRandom) throws -> Image

    public let source: any FaceSource
    public let batchSize: Int
    public let shuffle: Bool
    /// With `shuffle`, up to this many images of one identity are kept consecutive; nil shuffles freely.
    public let identityGroupSize: Int?
    public let dropLast: Bool
    public let seed: UInt64
    public let workers: Int
    public let prefetch: Int
    /// Output channels (3 for RGB models; gray sources are replicated).
    public let channels: Int
    public let transform: Transform?
    /// Per-sample transform producing the hard view from the transformed image; nil gives no hard view.
    public let hardTransform: Transform?
    /// Output side length; images of another size are rejected rather than silently resized.
    public let imageSize: Int
    /// The share of every batch this loader yields (data-parallel training); ``batchSize`` is the whole batch's.
    public let shard: BatchShard

    public init(
        source: any FaceSource, batchSize: Int, shuffle: Bool = false, identityGroupSize: Int? = nil,
        dropLast: Bool = false, seed: UInt64 = 0, imageSize: Int = 112, channels: Int = 3, workers: Int = 2, prefetch: Int = 4, transform: Transform? = nil,
        hardTransform: Transform? = nil, shard: BatchShard = .whole
    ) throws {
        guard batchSize > 0 else { throw DataError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard shard.count >= 1, (0..<shard.count).contains(shard.rank), batchSize % shard.count == 0 else {
            throw DataError.invalidArgument("a batch of \(batchSize) cannot be shared by \(shard.count) ranks "
                + "(the number of ranks must divide the batch size)")
        }
        guard dropLast || shard.count == 1 else {
            throw DataError.invalidArgument("a sharded loader needs dropLast: a short last batch cannot be shared")
        }
        guard source.count > 0 else { throw DataError.invalidArgument("the data source has no samples") }
        if let identityGroupSize, identityGroupSize < 1 {
            throw DataError.invalidArgument("identity group size must be positive, got \(identityGroupSize)")
        }
        guard workers > 0 else { throw DataError.invalidArgument("workers must be positive, got \(workers)") }
        guard channels == 1 || channels == 3 else {
            throw DataError.invalidArgument("channels must be 1 or 3, got \(channels)")
        }
        self.source = source
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.identityGroupSize = identityGroupSize
        self.dropLast = dropLast
        self.seed = seed
        self.imageSize = imageSize
        self.channels = channels
        self.workers = workers
        self.prefetch = max(1, prefetch)
        self.transform = transform
        self.hardTransform = hardTransform
        self.shard = shard
    }

    /// Number of batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? source.count / batchSize : (source.count + batchSize - 1) / batchSize
    }

    /// The sample order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<source.count) }
        var generator = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        guard let groupSize = identityGroupSize else { return Array(0..<source.count).shuffled(using: &generator) }
        var byIdentity: [Int: [Int]] = [:]
        for index in 0..<source.count { byIdentity[source.label(at: index), default: []].append(index) }
        var groups: [ArraySlice<Int>] = []
        for label in byIdentity.keys.sorted() {
            let images = byIdentity[label]!.shuffled(using: &generator)
            groups += stride(from: 0, to: images.count, by: groupSize).map {
                images[$0..<min($0 + groupSize, images.count)]
            }
        }
        return Array(groups.shuffled(using: &generator).joined())
    }

    /// The sample indices of each batch of `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        return stride(from: 0, to: order.count, by: batchSize).map {
            Array(order[$0..<min($0 + batchSize, order.count)])
        }.filter { !dropLast || $0.count == batchSize }
    }

    /// The batches of `epoch` (this loader's ``shard`` of each), produced in the background while the caller
    /// consumes them.
    public func epoch(_ epoch: Int, startingAt firstBatch: Int = 0) -> Epoch {
        Epoch(loader: self, batches: batchIndices(epoch: epoch).dropFirst(firstBatch).map(shard.part(of:)),
              epoch: epoch)
    }

    /// Decodes, transforms and normalizes one batch into NHWC floats.
    func prepare(_ indices: [Int], epoch: Int) throws -> PreparedBatch {
        let pixelsPerImage = imageSize * imageSize * channels
        var values = Self.floats(count: indices.count * pixelsPerImage)
        var hardValues = hardTransform.map { _ in Self.floats(count: indices.count * pixelsPerImage) }
        var labels = [Int64](repeating: 0, count: indices.count)
        for (slot, index) in indices.enumerated() {
            let sampleSeed = seed ^ (UInt64(index) &* 0xBF58_476D_1CE4_E5B9) ^ UInt64(epoch) << 40
            var image = try source.image(at: index)
            if let transform {
                var generator = SeededRandom(seed: sampleSeed)
                image = try transform(image, &generator)
            }
            try normalize(image, index: index, into: &values, at: slot * pixelsPerImage)
            if let hardTransform {
                var generator = SeededRandom(seed: SeededRandom.derive(sampleSeed, 0x4A7D))
                try normalize(try hardTransform(image, &generator), index: index, into: &hardValues!,
                              at: slot * pixelsPerImage)
            }
            labels[slot] = Int64(source.label(at: index))
        }
        return PreparedBatch(values: values, hardValues: hardValues, labels: labels, indices: indices)
    }

    /// `count` floats left as the allocator gives them: every one is overwritten by `normalize` before the batch
    /// is used, and zero-filling a batch's buffer took measurable time.
    private static func floats(count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Writes `image` (sample `index`) as normalized floats into `values` from `offset` on.
    private func normalize(_ image: Image, index: Int, into values: inout [Float], at offset: Int) throws {
        guard image.width == imageSize, image.height == imageSize else {
            throw DataError.invalidImage(source.name(at: index),
                                         "is \(image.width)×\(image.height), the loader expects \(imageSize)×\(imageSize)")
        }
        let converted = image.channels == channels ? image : image.converted(toChannels: channels)
        let count = imageSize * imageSize * channels
        converted.pixels.withUnsafeBufferPointer { pixels in
            values.withUnsafeMutableBufferPointer { output in
                // Raw pointers without overflow checks, so the loop vectorizes.
                guard let source = pixels.baseAddress, let target = output.baseAddress.map({ $0 + offset }) else { return }
                for i in 0..<count {
                    target[i] = Float(source[i]) / 127.5 - 1
                }
            }
        }
    }
}

/// A batch decoded into plain arrays on a worker thread (tensors are made on the consumer's thread).
struct PreparedBatch: Sendable {
    var values: [Float]
    var hardValues: [Float]?
    var labels: [Int64]
    var indices: [Int]
}

extension BatchLoader {
    /// One pass over the data: `while let batch = try epoch.next() { … }`.
    ///
    /// Releasing the epoch (or calling ``cancel()``) stops its worker threads.
    public final class Epoch {
        private let state: EpochState

        init(loader: BatchLoader, batches: [[Int]], epoch: Int) {
            state = EpochState(loader: loader, batches: batches, epoch: epoch)
            for _ in 0..<min(loader.workers, max(batches.count, 1)) {
                let thread = Thread { [state] in state.work() }
                thread.start()
            }
        }

        deinit {
            state.cancel()
        }

        /// Number of batches this epoch yields.
        public var count: Int { state.batches.count }

        /// The next batch, nil at the end of the epoch; throws the error of the first bad sample in it.
        public func next() throws -> Batch? {
            guard let prepared = try state.take() else { return nil }
            let side = state.loader.imageSize
            let shape = [prepared.indices.count, side, side, state.loader.channels]
            // An NHWC buffer viewed as NCHW is exactly the channels-last layout: no copy.
            func channelsLast(_ values: [Float]) throws -> Tensor {
                try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .float32) }.permuted([0, 3, 1, 2])
            }
            return Batch(images: try channelsLast(prepared.values), labels: Tensor(prepared.labels),
                         indices: prepared.indices, hardImages: try prepared.hardValues.map(channelsLast))
        }

        /// Stops the workers early.
        public func cancel() {
            state.cancel()
        }
    }
}

/// The work queue shared by an epoch and its worker threads.
final class EpochState: @unchecked Sendable {
    // Unchecked: every mutable field is read and written only with `condition` locked.
    let loader: BatchLoader
    let batches: [[Int]]
    private let epoch: Int
    private let condition = NSCondition()
    private var ready: [Int: Result<PreparedBatch, any Error>] = [:]
    private var nextToClaim = 0
    private var nextToDeliver = 0
    private var cancelled = false

    init(loader: BatchLoader, batches: [[Int]], epoch: Int) {
        self.loader = loader
        self.batches = batches
        self.epoch = epoch
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the next batch in order; nil after the last one.
    func take() throws -> PreparedBatch? {
        condition.lock()
        guard nextToDeliver < batches.count, !cancelled else {
            condition.unlock()
            return nil
        }
        while ready[nextToDeliver] == nil {
            condition.wait()
        }
        let result = ready.removeValue(forKey: nextToDeliver)!
        nextToDeliver += 1
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// A worker thread's loop: claim the next batch index, prepare it, publish it.
    func work() {
        while true {
            condition.lock()
            // Stay at most `prefetch` batches ahead of the consumer.
            while !cancelled && nextToClaim < batches.count && nextToClaim - nextToDeliver >= loader.prefetch {
                condition.wait()
            }
            if cancelled || nextToClaim >= batches.count {
                condition.unlock()
                return
            }
            let claimed = nextToClaim
            nextToClaim += 1
            condition.unlock()

            let result = Result { try loader.prepare(batches[claimed], epoch: epoch) }

            condition.lock()
            ready[claimed] = result
            condition.broadcast()
            condition.unlock()
        }
    }
}
