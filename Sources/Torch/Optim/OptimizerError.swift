/// A problem with an optimizer's configuration or with optimizer state being restored, naming the value or key.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its valid range, e.g. a negative learning rate.
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// Nesterov momentum was asked for without momentum, or with dampening.
    case invalidNesterov(momentum: Double, dampening: Double)
    /// The same tensor was listed twice (in one group or in two).
    case duplicateParameter(name: String, group: Int, index: Int)
    /// The state was saved by a different optimizer ("Adam" state loaded into SGD).
    case optimizerMismatch(expected: String, found: String)
    /// The state has a different number of parameter groups than the optimizer.
    case groupCountMismatch(expected: Int, found: Int)
    /// A saved parameter group holds a different number of parameters than the optimizer's group.
    case groupSizeMismatch(group: Int, expected: Int, found: Int)
    /// A key the optimizer needs is absent from the state.
    case missingKey(String)
    /// The state has a key the optimizer does not know or has no parameter for.
    case unexpectedKey(String)
    /// A saved buffer's shape differs from its parameter's shape.
    case shapeMismatch(key: String, parameter: String, expected: [Int], found: [Int])
    /// A saved number is not valid for its key (a fractional step count, a flag that is neither 0 nor 1).
    case invalidValue(key: String, value: String, requirement: String)

    /// The problem in one sentence, naming the key, shape or value.
    public var description: String {
        switch self {
        case .invalidHyperparameter(let name, let value, let requirement):
            "invalid \(name) \(value): must be \(requirement)"
        case .invalidNesterov(let momentum, let dampening):
            "Nesterov momentum requires momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))"
        case .duplicateParameter(let name, let group, let index):
            "parameter \(name) (group \(group), index \(index)) appears more than once in the optimizer's groups"
        case .optimizerMismatch(let expected, let found):
            "optimizer state was saved by \(found), cannot load it into \(expected)"
        case .groupCountMismatch(let expected, let found):
            "optimizer state has \(found) parameter group(s), the optimizer has \(expected)"
        case .groupSizeMismatch(let group, let expected, let found):
            "optimizer state's group \(group) has \(found) parameter(s), the optimizer's group \(group) has \(expected)"
        case .missingKey(let key):
            "optimizer state is missing \(key)"
        case .unexpectedKey(let key):
            "optimizer state has unexpected key \(key)"
        case .shapeMismatch(let key, let parameter, let expected, let found):
            "optimizer state \(key) has shape \(found), but parameter \(parameter) has shape \(expected)"
        case .invalidValue(let key, let value, let requirement):
            "optimizer state \(key) = \(value) is invalid: must be \(requirement)"
        }
    }
}
