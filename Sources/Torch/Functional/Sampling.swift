extension Functional {
    /// How ``gridSample(_:grid:mode:padding:alignCorners:)`` reads the input at a sampling location.
    public enum GridSampleMode: Int, Sendable {
        /// Bilinear interpolation of the four surrounding pixels.
        case bilinear = 0
        /// The nearest pixel.
        case nearest = 1
        /// Bicubic interpolation of the sixteen surrounding pixels.
        case bicubic = 2
    }

    /// What ``gridSample(_:grid:mode:padding:alignCorners:)`` reads at locations outside the input.
    public enum GridSamplePadding: Int, Sendable {
        /// Zeros.
        case zeros = 0
        /// The nearest border pixel.
        case border = 1
        /// The input mirrored at its border.
        case reflection = 2
    }

    /// The sampling grid of a 2-D affine warp (`torch.nn.functional.affine_grid`).
    ///
    /// - Parameters:
    ///   - theta: `[N, 2, 3]` matrices mapping output coordinates to input coordinates, both normalized to
    ///     [−1, 1] (−1 and 1 being the outer edges, or with `alignCorners` the centres, of the corner pixels).
    ///   - size: the output size `[N, C, H, W]`.
    /// - Returns: `[N, H, W, 2]` input locations (x, y), for ``gridSample(_:grid:mode:padding:alignCorners:)``.
    public static func affineGrid(_ theta: Tensor, size: [Int], alignCorners: Bool = false) -> Tensor {
        Torch.call("aten::affine_grid_generator", theta, size, alignCorners).tensor()
    }

    /// Samples an `[N, C, H, W]` input at the `[N, Hₒ, Wₒ, 2]` normalized (x, y) locations of `grid`
    /// (`torch.nn.functional.grid_sample`), giving `[N, C, Hₒ, Wₒ]`; differentiable in both input and grid.
    ///
    /// Face alignment warps an image by the similarity transform to the landmark template this way.
    public static func gridSample(
        _ x: Tensor, grid: Tensor, mode: GridSampleMode = .bilinear, padding: GridSamplePadding = .zeros,
        alignCorners: Bool = false
    ) -> Tensor {
        Torch.call("aten::grid_sampler", x, grid, mode.rawValue, padding.rawValue, alignCorners).tensor()
    }
}
