/// 2-D transposed convolution over `[N, C, H, W]` inputs (`torch.nn.ConvTranspose2d`), the upsampling
/// counterpart of ``Conv2d``.
///
/// Output size per spatial dimension: `(in − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`.
/// State: `weight` `[inChannels, outChannels / groups, kH, kW]` and `bias` `[outChannels]`, initialized as
/// PyTorch does (Kaiming uniform with a = √5, fanIn computed from the weight's second dimension).
public final class ConvTranspose2d: Module {
    /// Channels of the input.
    public let inChannels: Int
    /// Channels of the output.
    public let outChannels: Int
    /// Kernel height and width.
    public let kernelSize: IntPair
    /// Upsampling step.
    public let stride: IntPair
    /// Rows and columns removed from each side of the full output.
    public let padding: IntPair
    /// Extra rows and columns added to one side of the output (less than the stride or the dilation).
    public let outputPadding: IntPair
    /// Number of channel groups.
    public let groups: Int
    /// Spacing between kernel elements.
    public let dilation: IntPair
    /// `[inChannels, outChannels / groups, kH, kW]`.
    public let weight: Tensor
    /// `[outChannels]`, or nil.
    public let bias: Tensor?

    /// A transposed convolution from `inChannels` to `outChannels`; both must be divisible by `groups`.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
        outputPadding: IntPair = 0, groups: Int = 1, bias: Bool = true, dilation: IntPair = 1
    ) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "ConvTranspose2d: in (\(inChannels)) and out (\(outChannels)) channels must be divisible by groups (\(groups))")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.groups = groups
        self.dilation = dilation
        weight = makeParameter([inChannels, outChannels / groups, kernelSize.height, kernelSize.width])
        self.bias = bias ? makeParameter([outChannels]) : nil
        super.init()
        Initializers.layerDefault(weight: weight, bias: self.bias)
    }

    /// `[N, inChannels, H, W]` → `[N, outChannels, H′, W′]`.
    public override func forward(_ input: Tensor) -> Tensor {
        Functional.convTranspose2d(input, weight: weight, bias: bias, stride: stride.array, padding: padding.array,
                                   outputPadding: outputPadding.array, groups: groups, dilation: dilation.array)
    }
}
