/// Modules applied one after another (`torch.nn.Sequential`); its layers are named `0`, `1`, `2`, … in the
/// state dict, as in PyTorch.
public final class Sequential: Module {
    /// The layers, in order.
    public let layers: [Module]

    /// Applies `layers` in order.
    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
    }

    /// Applies `layers` in order.
    public convenience init(_ layers: Module...) {
        self.init(layers)
    }

    /// Splices the layer array into this module's namespace, so the first layer's weight is `0.weight`.
    public override var stateKeyNames: [String: String] { ["layers": ""] }

    /// Number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> Module { layers[index] }

    /// The input passed through every layer.
    public override func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { value, layer in layer(value) }
    }
}
