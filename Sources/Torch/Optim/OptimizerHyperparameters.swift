/// The settings of one parameter group for one kind of optimizer (learning rate, weight decay, momentum, …).
///
/// Every optimizer's settings have a learning rate (which schedules change) and a weight decay (which
/// ``WeightDecaySplit`` turns off for exempt parameters). ``fields`` lists all settings under PyTorch's
/// parameter-group key names, so they can be saved in and restored from an ``OptimizerState``.
public protocol OptimizerHyperparameters: Sendable, Equatable {
    /// Step size.
    var learningRate: Double { get set }
    /// L2 penalty coefficient (coupled or decoupled, depending on the optimizer).
    var weightDecay: Double { get set }
    /// Every setting, by PyTorch's parameter-group key ("lr", "momentum", "nesterov").
    static var fields: [HyperparameterField<Self>] { get }
    /// Throws if a setting is outside its valid range, as PyTorch's optimizer constructors do.
    func validate() throws(OptimizerError)
}

extension OptimizerHyperparameters {
    /// A copy with `change` applied: `defaults.with { $0.weightDecay = 0 }`.
    public func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

/// One numeric or boolean setting of an ``OptimizerHyperparameters`` type, with the key it is saved under.
public struct HyperparameterField<Root> {
    /// PyTorch's parameter-group key, e.g. "lr" or "weight_decay".
    public let key: String
    let read: (Root) -> Double
    /// Stores a saved value; false when the value is not valid for the field (a flag other than 0 or 1).
    let write: (inout Root, Double) -> Bool

    /// A real-valued setting.
    public static func number(_ key: String, _ path: WritableKeyPath<Root, Double>) -> Self {
        Self(key: key, read: { $0[keyPath: path] }, write: { root, value in
            root[keyPath: path] = value
            return true
        })
    }

    /// A boolean setting, saved as 0 or 1.
    public static func flag(_ key: String, _ path: WritableKeyPath<Root, Bool>) -> Self {
        Self(key: key, read: { $0[keyPath: path] ? 1 : 0 }, write: { root, value in
            guard value == 0 || value == 1 else { return false }
            root[keyPath: path] = value == 1
            return true
        })
    }
}

/// Checks shared by the optimizers' `validate()` methods.
enum HyperparameterCheck {
    /// Throws unless `value >= 0` (which also rejects NaN).
    static func nonNegative(_ name: String, _ value: Double) throws(OptimizerError) {
        guard value >= 0 else { throw .invalidHyperparameter(name: name, value: value, requirement: ">= 0") }
    }

    /// Throws unless `0 <= value < 1`.
    static func unitInterval(_ name: String, _ value: Double) throws(OptimizerError) {
        guard value >= 0, value < 1 else {
            throw .invalidHyperparameter(name: name, value: value, requirement: "in [0, 1)")
        }
    }
}
