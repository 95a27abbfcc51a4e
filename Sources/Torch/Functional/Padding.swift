extension Functional {
    /// How ``pad(_:_:mode:)`` fills the new border.
    public enum PaddingMode: Sendable, Equatable {
        /// A constant value.
        case constant(Double)
        /// The input mirrored about its edge pixel, which is not repeated (`[1, 2, 3]` → `3, 2 | 1, 2, 3 | 2, 1`).
        case reflect
        /// The edge pixel repeated.
        case replicate
        /// The input wrapped around (`[1, 2, 3]` → `2, 3 | 1, 2, 3 | 1, 2`).
        case circular
    }

    /// Pads the trailing dimensions of `x` (`torch.nn.functional.pad`).
    ///
    /// `padding` lists `(before, after)` pairs starting from the last dimension: `[left, right]` pads width,
    /// `[left, right, top, bottom]` width and height. Negative amounts crop (constant mode). Non-constant
    /// modes pad the last one, two or three dimensions of a batched input.
    public static func pad(_ x: Tensor, _ padding: [Int], mode: PaddingMode = .constant(0)) -> Tensor {
        switch mode {
        case .constant(let value):
            Torch.call("aten::constant_pad_nd", x, padding, value).tensor()
        case .reflect:
            Torch.call("aten::pad", x, padding, "reflect").tensor()
        case .replicate:
            Torch.call("aten::pad", x, padding, "replicate").tensor()
        case .circular:
            Torch.call("aten::pad", x, padding, "circular").tensor()
        }
    }
}
