/// 2-D convolution over `[N, C, H, W]` inputs (`torch.nn.Conv2d`, zero padding).
///
/// State: `weight` `[outChannels, inChannels / groups, kH, kW]` and `bias` `[outChannels]` (absent with
/// `bias: false`), initialized as PyTorch does: Kaiming uniform with a = √5 and a bias from
/// U(−1/√fanIn, 1/√fanIn), fanIn = inChannels / groups · kH · kW.
public final class Conv2d: Module {
    /// Channels of the input.
    public let inChannels: Int
    /// Channels of the output.
    public let outChannels: Int
    /// Kernel height and width.
    public let kernelSize: IntPair
    /// Step between kernel applications.
    public let stride: IntPair
    /// Zeros added on each side of the input.
    public let padding: IntPair
    /// Spacing between kernel elements.
    public let dilation: IntPair
    /// Number of channel groups convolved independently (`inChannels` for a depthwise convolution).
    public let groups: Int
    /// `[outChannels, inChannels / groups, kH, kW]`.
    public let weight: Tensor
    /// `[outChannels]`, or nil.
    public let bias: Tensor?

    /// A convolution from `inChannels` to `outChannels`; both must be divisible by `groups`.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
        dilation: IntPair = 1, groups: Int = 1, bias: Bool = true
    ) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: in (\(inChannels)) and out (\(outChannels)) channels must be divisible by groups (\(groups))")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        weight = makeParameter([outChannels, inChannels / groups, kernelSize.height, kernelSize.width])
        self.bias = bias ? makeParameter([outChannels]) : nil
        super.init()
        Initializers.layerDefault(weight: weight, bias: self.bias)
    }

    /// `[N, inChannels, H, W]` → `[N, outChannels, H′, W′]`.
    public override func forward(_ input: Tensor) -> Tensor {
        let output = Functional.conv2d(input, weight: weight, bias: bias, stride: stride.array,
                                       padding: padding.array, dilation: dilation.array, groups: groups)
        FLOPCounter.report(
            multiplyAccumulates: output.count * inChannels / groups * kernelSize.height * kernelSize.width)
        return output
    }
}
