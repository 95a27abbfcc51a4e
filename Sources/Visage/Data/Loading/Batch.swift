import Torch

/// One batch of faces ready for a model.
public struct Batch {
    /// N×C×H×W float32, normalized as (x/255 − 0.5)/0.5, in channels-last memory layout.
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
