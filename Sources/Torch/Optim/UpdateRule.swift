/// The arithmetic of one optimizer (SGD, Adam, …): its settings, its per-parameter state, and how one step
/// changes a parameter. ``GradientOptimizer`` supplies everything else (groups, state bookkeeping, saving).
public protocol UpdateRule {
    /// The settings of one parameter group.
    associatedtype Hyperparameters: OptimizerHyperparameters
    /// What the rule remembers about one parameter between steps (momentum buffers, moment estimates, …).
    associatedtype ParameterState: OptimizerParameterState where ParameterState.Hyperparameters == Hyperparameters

    /// The name saved with the state, so state from another optimizer is refused ("SGD", "Adam", …).
    static var name: String { get }

    /// Applies one step to `parameter` in place (called with gradient recording off). `state` is nil before the
    /// parameter's first step; the rule creates it then.
    static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout ParameterState?, hyperparameters: Hyperparameters
    )
}

/// Per-parameter optimizer state that can be saved under PyTorch's key names and restored.
public protocol OptimizerParameterState {
    /// The settings of the group the parameter belongs to, which decide which buffers must exist.
    associatedtype Hyperparameters: OptimizerHyperparameters

    /// The state's tensors by key ("momentum_buffer", "exp_avg", …), each the parameter's shape.
    var savedTensors: [(key: String, tensor: Tensor)] { get }
    /// The state's numbers by key ("step").
    var savedScalars: [(key: String, value: Double)] { get }

    /// Rebuilds the state from saved entries, taking each entry it uses; throws naming any missing or malformed one.
    init(restoring entries: inout ParameterStateEntries, hyperparameters: Hyperparameters) throws(OptimizerError)
}
