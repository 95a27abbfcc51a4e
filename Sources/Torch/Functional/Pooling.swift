import CTorch

extension Functional {
    /// The maximum over each `kernelSize` window of an `[N, C, H, W]` input (`torch.nn.functional.max_pool2d`).
    ///
    /// - Parameters:
    ///   - stride: window step; nil means `kernelSize`.
    ///   - padding: implicit negative-infinity padding on both sides.
    ///   - ceilMode: round the output size up rather than down.
    public static func maxPool2d(
        _ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0, 0], dilation: [Int] = [1, 1],
        ceilMode: Bool = false
    ) -> Tensor {
        guard x.isQuantized, dilation == [1, 1], kernelSize.count == 2, padding.count == 2,
            (stride ?? kernelSize).count == 2
        else {
            return Torch.call("aten::max_pool2d", x, kernelSize, stride ?? [], padding, dilation, ceilMode).tensor()
        }
        // The shim's kernel where libtorch's is slow: its quantized max pool runs 16 channels one value at a time
        // (the bridge student's first map, 256 faces: 1.07 ms, the shim 0.11 ms).
        let (kernel, step, pad) = (kernelSize.map(Int64.init), (stride ?? kernelSize).map(Int64.init),
                                   padding.map(Int64.init))
        return Tensor.fromShim { result, error in
            ctorch_quantized_max_pool2d(x.handle.pointer, kernel, step, pad, ceilMode, &result, &error)
        }
    }

    /// The mean over each `kernelSize` window of an `[N, C, H, W]` input (`torch.nn.functional.avg_pool2d`).
    ///
    /// - Parameters:
    ///   - stride: window step; nil means `kernelSize`.
    ///   - padding: implicit zero padding on both sides.
    ///   - countIncludePad: whether the padding zeros count in each window's divisor.
    public static func avgPool2d(
        _ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0, 0], ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) -> Tensor {
        Torch.call("aten::avg_pool2d", x, kernelSize, stride ?? [], padding, ceilMode, countIncludePad).tensor()
    }

    /// The mean over windows chosen so that the output is `outputSize` (`[H, W]`), whatever the input size
    /// (`torch.nn.functional.adaptive_avg_pool2d`); `[1, 1]` is global average pooling.
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: [Int]) -> Tensor {
        Torch.call("aten::adaptive_avg_pool2d", x, outputSize).tensor()
    }

    /// The maximum over windows chosen so that the output is `outputSize` (`[H, W]`)
    /// (`torch.nn.functional.adaptive_max_pool2d`).
    public static func adaptiveMaxPool2d(_ x: Tensor, outputSize: [Int]) -> Tensor {
        Torch.call("aten::adaptive_max_pool2d", x, outputSize).tensor(0)
    }
}
