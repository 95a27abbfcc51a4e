extension Functional {
    /// 2-D convolution over an `[N, C, H, W]` input (`torch.nn.functional.conv2d`).
    ///
    /// - Parameters:
    ///   - weight: `[outChannels, inChannels / groups, kH, kW]`.
    ///   - bias: `[outChannels]`, or nil.
    ///   - groups: number of blocked connections from input to output channels (`inChannels` for depthwise).
    public static func conv2d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, stride: [Int] = [1, 1], padding: [Int] = [0, 0],
        dilation: [Int] = [1, 1], groups: Int = 1
    ) -> Tensor {
        Torch.call("aten::conv2d", x, weight, bias, stride, padding, dilation, groups).tensor()
    }

    /// 2-D transposed convolution ("deconvolution") over an `[N, C, H, W]` input
    /// (`torch.nn.functional.conv_transpose2d`).
    ///
    /// - Parameters:
    ///   - weight: `[inChannels, outChannels / groups, kH, kW]`.
    ///   - outputPadding: extra size added to one side of each output spatial dimension.
    public static func convTranspose2d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, stride: [Int] = [1, 1], padding: [Int] = [0, 0],
        outputPadding: [Int] = [0, 0], groups: Int = 1, dilation: [Int] = [1, 1]
    ) -> Tensor {
        Torch.call("aten::conv_transpose2d.input", x, weight, bias, stride, padding, outputPadding, groups, dilation)
            .tensor()
    }
}
