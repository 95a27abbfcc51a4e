/// Parameters that an optimizer updates with the same settings, like one entry of PyTorch's `param_groups`.
///
/// Typical uses: no weight decay on biases and BatchNorm/PReLU weights (see ``WeightDecaySplit``), or a larger
/// learning rate on a freshly initialised head:
///
/// ```swift
/// let defaults = SGD.Hyperparameters(learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4)
/// let optimizer = try SGD(groups: [
///     ParameterGroup(backbone, defaults),
///     ParameterGroup(head, defaults.with { $0.learningRate = 1.0 }),
/// ])
/// ```
public struct ParameterGroup<Hyperparameters: OptimizerHyperparameters> {
    /// The tensors updated in place by the optimizer.
    public let parameters: [Tensor]
    /// A name per parameter (dotted module paths when built from named parameters, else "#index"), used in errors.
    public let names: [String]
    /// This group's settings; change them between steps as PyTorch code changes `param_groups[i][...]`.
    public var hyperparameters: Hyperparameters
    /// The learning rate that schedules scale (PyTorch's `initial_lr`); the group's learning rate when created.
    public var baseLearningRate: Double

    /// A group of unnamed parameters.
    public init(_ parameters: [Tensor], _ hyperparameters: Hyperparameters) {
        self.parameters = parameters
        self.names = parameters.indices.map { "#\($0)" }
        self.hyperparameters = hyperparameters
        self.baseLearningRate = hyperparameters.learningRate
    }

    /// A group of named parameters, as a module's `namedParameters()` lists them.
    public init(_ named: [(name: String, tensor: Tensor)], _ hyperparameters: Hyperparameters) {
        self.parameters = named.map(\.tensor)
        self.names = named.map(\.name)
        self.hyperparameters = hyperparameters
        self.baseLearningRate = hyperparameters.learningRate
    }

    /// The group's current learning rate.
    public var learningRate: Double {
        get { hyperparameters.learningRate }
        set { hyperparameters.learningRate = newValue }
    }

    /// The group's weight decay.
    public var weightDecay: Double {
        get { hyperparameters.weightDecay }
        set { hyperparameters.weightDecay = newValue }
    }
}
