import Torch

/// One batch of faces ready for a model.
public struct Batch {
    /// N×C×H×W float32, normalized as (x/255 − 0.5)/0.5, in channels-last memory layout; empty (`[N, 0]`) in
    /// the batches of rows without images that ``RowBatchLoader`` makes.
    public var images: Tensor
    /// N int64 identity labels.
    public var labels: Tensor
    /// Positions of the samples in the source, in batch order.
    public var indices: [Int]
    /// The hard view of each sample when the loader has a `hardTransform`: same layout, normalization and size
    /// as `images`; nil otherwise.
    public var hardImages: Tensor? = nil
}

extension Batch {
    /// The easy and hard views stacked along the batch (2N images, labels repeated) when there is a hard view,
    /// else the batch itself: what a model classifies when both views train it.
    public var allViews: (images: Tensor, labels: Tensor) {
        guard let hardImages else { return (images, labels) }
        return (Tensor.cat([images, hardImages]).contiguous(.channelsLast), Tensor.cat([labels, labels]))
    }
}

extension Batch {
    /// `images` as one N×3×H×W tensor normalized as the loader does (pixel/127.5 − 1), channels-last in memory;
    /// grey images are replicated to RGB.
    /// - Throws: ``DataError/invalidArgument(_:)`` when there is no image or they differ in size.
    public static func tensor(_ images: [Image]) throws -> Tensor {
        guard let first = images.first else { throw DataError.invalidArgument("no image to make a batch of") }
        guard images.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw DataError.invalidArgument("images of different sizes cannot share a batch: "
                + Set(images.map { "\($0.width)×\($0.height)" }).sorted().joined(separator: ", "))
        }
        var values = [Float]()
        values.reserveCapacity(images.count * first.width * first.height * 3)
        for image in images {
            let rgb = image.channels == 3 ? image : image.converted(toChannels: 3)
            values += rgb.pixels.map { Float($0) / 127.5 - 1 }
        }
        return try values.withUnsafeBytes {
            try Tensor(bytes: $0, shape: [images.count, first.height, first.width, 3], dtype: .float32)
        }.permuted([0, 3, 1, 2])
    }
}
