/// Group normalization (`torch.nn.GroupNorm`): the channels are split into groups, each normalized over its
/// channels and spatial positions, independently of the batch.
///
/// State: per-channel `weight` (ones) and `bias` (zeros) with `affine`.
public final class GroupNorm: Module {
    /// Number of channel groups.
    public let groups: Int
    /// Channels of the input (dimension 1); divisible by `groups`.
    public let channels: Int
    /// Added to the variance for numerical stability.
    public let eps: Double
    /// Per-channel scale `[channels]`, or nil.
    public let weight: Tensor?
    /// Per-channel shift `[channels]`, or nil.
    public let bias: Tensor?

    /// A group normalization of `channels` channels in `groups` groups.
    public init(groups: Int, channels: Int, eps: Double = 1e-5, affine: Bool = true) {
        precondition(groups > 0 && channels % groups == 0,
                     "GroupNorm: channels (\(channels)) must be divisible by groups (\(groups))")
        self.groups = groups
        self.channels = channels
        self.eps = eps
        weight = affine ? Tensor.ones([channels]).requiresGrad(true) : nil
        bias = affine ? makeParameter([channels]) : nil
        super.init()
    }

    /// The normalized `[N, channels, *]` input, of the input's shape.
    public override func forward(_ input: Tensor) -> Tensor {
        Functional.groupNorm(input, groups: groups, weight: weight, bias: bias, eps: eps)
    }
}
