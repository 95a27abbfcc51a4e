/// Merges dimensions `startDim` through `endDim` into one, as a module (`torch.nn.Flatten`); by default
/// everything but the batch dimension.
public final class Flatten: Module {
    /// First dimension merged.
    public let startDim: Int
    /// Last dimension merged (negative counts from the end).
    public let endDim: Int

    /// A flatten of dimensions `startDim` through `endDim`.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    /// The input with the dimensions merged.
    public override func forward(_ input: Tensor) -> Tensor { input.flattened(from: startDim, to: endDim) }
}
