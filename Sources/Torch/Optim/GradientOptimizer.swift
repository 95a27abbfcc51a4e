/// A first-order optimizer: parameter groups, per-parameter state, and an ``UpdateRule`` that does the arithmetic.
///
/// Use it through its named specialisations — ``SGD``, ``Adam``, ``AdamW``, ``RMSprop`` — whose initialisers take
/// PyTorch's arguments. Parameters are updated in place (every copy of a parameter ``Tensor`` sees the change),
/// following PyTorch 1.13's single-tensor update code operation for operation, so results match PyTorch bit for bit.
///
/// State is kept per parameter tensor (as PyTorch keys `optimizer.state` by parameter), so groups' settings may be
/// changed freely between steps; add groups with ``addGroup(_:)``.
public final class GradientOptimizer<Rule: UpdateRule>: Optimizer {
    /// The settings of one parameter group.
    public typealias Hyperparameters = Rule.Hyperparameters
    /// What the rule keeps per parameter.
    public typealias ParameterState = Rule.ParameterState

    /// The parameter groups, each with its own settings.
    public var groups: [ParameterGroup<Hyperparameters>]
    /// Per-parameter state, keyed by the parameter tensor's identity.
    var states: [ParameterIdentity: ParameterState] = [:]

    /// An optimizer over `groups`; throws if a setting is invalid or a parameter is listed twice.
    public init(groups: [ParameterGroup<Hyperparameters>]) throws(OptimizerError) {
        self.groups = []
        for group in groups {
            try addGroup(group)
        }
    }

    /// An optimizer with one group holding `parameters`.
    public convenience init(_ parameters: [Tensor], _ hyperparameters: Hyperparameters) throws(OptimizerError) {
        try self.init(groups: [ParameterGroup(parameters, hyperparameters)])
    }

    /// An optimizer with one group holding named parameters (names appear in error messages).
    public convenience init(
        _ named: [(name: String, tensor: Tensor)], _ hyperparameters: Hyperparameters
    ) throws(OptimizerError) {
        try self.init(groups: [ParameterGroup(named, hyperparameters)])
    }

    /// Adds a parameter group (PyTorch's `add_param_group`); throws if a setting is invalid or one of its
    /// parameters is already optimized.
    public func addGroup(_ group: ParameterGroup<Hyperparameters>) throws(OptimizerError) {
        try group.hyperparameters.validate()
        var seen = Set(parameters.map(ParameterIdentity.init))
        for (index, parameter) in group.parameters.enumerated() {
            guard seen.insert(ParameterIdentity(parameter)).inserted else {
                throw .duplicateParameter(name: group.names[index], group: groups.count, index: index)
            }
        }
        groups.append(group)
    }

    /// The update rule's name ("SGD", "Adam", …).
    public var name: String { Rule.name }

    /// Every parameter of every group, in group order.
    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    /// Each group's current learning rate.
    public var learningRates: [Double] {
        get { groups.map(\.learningRate) }
        set {
            precondition(newValue.count == groups.count, "\(newValue.count) learning rates for \(groups.count) groups")
            for index in groups.indices {
                groups[index].learningRate = newValue[index]
            }
        }
    }

    /// Each group's base learning rate, the value schedules scale.
    public var baseLearningRates: [Double] { groups.map(\.baseLearningRate) }

    /// What the optimizer remembers about `parameter` (nil before its first step or if it is not optimized here).
    public func state(of parameter: Tensor) -> ParameterState? {
        states[ParameterIdentity(parameter)]
    }

    /// Updates every parameter that has a gradient, in place, with its group's settings.
    public func step() {
        withoutGrad {
            for group in groups {
                for parameter in group.parameters {
                    guard let gradient = parameter.grad else { continue }
                    let identity = ParameterIdentity(parameter)
                    var state = states[identity]
                    Rule.update(parameter, gradient: gradient, state: &state,
                                hyperparameters: group.hyperparameters)
                    states[identity] = state
                }
            }
        }
    }

    /// Clears every parameter's gradient: removes it (`setToNone`, the default) or fills it with zeros.
    public func zeroGrad(setToNone: Bool = true) {
        withoutGrad {
            for parameter in parameters {
                guard var gradient = parameter.grad else { continue }
                if setToNone {
                    parameter.grad = nil
                    continue
                }
                if gradient.requiresGrad {
                    // A gradient built with `createGraph` is cut off from its graph first, as PyTorch's detach_().
                    gradient = gradient.detached()
                    parameter.grad = gradient
                }
                gradient.zero_()
            }
        }
    }
}
