/// The saved entries of one parameter's optimizer state (`state.<index>.<key>`), handed to
/// ``OptimizerParameterState/init(restoring:hyperparameters:)`` which takes the ones it needs.
///
/// Taking a tensor checks that it has the parameter's shape and returns a private copy in the parameter's dtype,
/// so the restored optimizer never shares buffers with the state it was loaded from.
public struct ParameterStateEntries {
    /// The parameter the state belongs to.
    public let parameter: Tensor
    /// The parameter's name, for error messages.
    public let parameterName: String
    /// The prefix of this parameter's keys, e.g. "state.3.".
    public let keyPrefix: String
    var tensors: [String: Tensor]
    var scalars: [String: Double]

    init(parameter: Tensor, parameterName: String, keyPrefix: String) {
        self.parameter = parameter
        self.parameterName = parameterName
        self.keyPrefix = keyPrefix
        tensors = [:]
        scalars = [:]
    }

    /// Whether no entries remain.
    public var isEmpty: Bool { tensors.isEmpty && scalars.isEmpty }

    /// Full keys of the entries nobody took, sorted.
    var remainingKeys: [String] { (Array(tensors.keys) + Array(scalars.keys)).map { keyPrefix + $0 }.sorted() }

    /// Takes the tensor saved under `key`; throws if it is absent or not the parameter's shape.
    public mutating func takeTensor(_ key: String) throws(OptimizerError) -> Tensor {
        guard let tensor = try takeOptionalTensor(key) else { throw .missingKey(keyPrefix + key) }
        return tensor
    }

    /// Takes the tensor saved under `key` if there is one; throws if it is not the parameter's shape.
    public mutating func takeOptionalTensor(_ key: String) throws(OptimizerError) -> Tensor? {
        guard let tensor = tensors.removeValue(forKey: key) else { return nil }
        let expected = parameter.shape
        guard tensor.isDefined, tensor.shape == expected else {
            throw .shapeMismatch(key: keyPrefix + key, parameter: parameterName, expected: expected,
                                 found: tensor.isDefined ? tensor.shape : [])
        }
        return withoutGrad { tensor.detached().to(parameter.dtype).clone() }
    }

    /// Takes the count (e.g. a step number) saved under `key`; throws if absent or not a non-negative integer.
    public mutating func takeCount(_ key: String) throws(OptimizerError) -> Int {
        guard let value = scalars.removeValue(forKey: key) else { throw .missingKey(keyPrefix + key) }
        guard value >= 0, value == value.rounded(), value < 0x1p53 else {
            throw .invalidValue(key: keyPrefix + key, value: "\(value)", requirement: "a non-negative integer")
        }
        return Int(value)
    }
}
