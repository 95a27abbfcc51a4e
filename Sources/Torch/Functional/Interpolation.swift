extension Functional {
    /// How ``interpolate(_:size:scaleFactor:mode:alignCorners:)`` computes output pixels.
    public enum InterpolationMode: Sendable {
        /// The input pixel at `floor(outputPosition · inputSize / outputSize)` (PyTorch's legacy `"nearest"`).
        case nearest
        /// Bilinear interpolation of the four nearest input pixels.
        case bilinear
        /// Bicubic interpolation (Keys kernel, `a = −0.75`) of the sixteen nearest input pixels; may overshoot
        /// the input range.
        case bicubic
        /// The mean of the input pixels each output pixel covers (adaptive average pooling), the usual choice
        /// for downscaling.
        case area
    }

    /// Resizes the spatial dimensions of an `[N, C, H, W]` input (`torch.nn.functional.interpolate`).
    ///
    /// Give exactly one of `size` (`[H, W]`) and `scaleFactor` (`[sH, sW]`, the output size being
    /// `floor(input · scale)`).
    ///
    /// - Parameter alignCorners: for bilinear and bicubic, whether the corner pixels' centres of input and output
    ///   coincide (true) or their outer edges do (false, the usual image-resizing convention).
    public static func interpolate(
        _ x: Tensor, size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: InterpolationMode = .nearest,
        alignCorners: Bool = false
    ) -> Tensor {
        guard (size == nil) != (scaleFactor == nil) else {
            ErrorScope.report(TorchError("interpolate: give exactly one of size and scaleFactor"))
            return Tensor.undefined
        }
        switch mode {
        case .nearest:
            return Torch.call("aten::upsample_nearest2d.vec", x, size, scaleFactor).tensor()
        case .bilinear:
            return Torch.call("aten::upsample_bilinear2d.vec", x, size, alignCorners, scaleFactor).tensor()
        case .bicubic:
            return Torch.call("aten::upsample_bicubic2d.vec", x, size, alignCorners, scaleFactor).tensor()
        case .area:
            let outputSize = size ?? zip(x.shape.suffix(2), scaleFactor!).map { Int((Double($0) * $1).rounded(.down)) }
            return adaptiveAvgPool2d(x, outputSize: outputSize)
        }
    }
}
