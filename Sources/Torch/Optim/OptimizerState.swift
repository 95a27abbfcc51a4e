/// A snapshot of an optimizer's state, laid out for a safetensors checkpoint: buffers as tensors, numbers as
/// metadata.
///
/// Keys follow PyTorch's `optimizer.state_dict()`, flattened:
/// - `state.<i>.<buffer>` tensors, one per parameter `i` (numbered across groups in order) that has state:
///   `momentum_buffer` (SGD, RMSprop), `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` (Adam, AdamW),
///   `square_avg`, `grad_avg` (RMSprop);
/// - `state.<i>.step` scalars (Adam, AdamW, RMSprop);
/// - `group.<g>.<setting>` scalars: each group's settings under PyTorch's names (`lr`, `weight_decay`,
///   `momentum`, `beta1`, `beta2`, …; flags as 0 or 1), its `initial_lr` and its `parameter_count`;
/// - the optimizer's name, so that Adam state is not loaded into SGD.
public struct OptimizerState {
    /// The metadata key under which ``optimizer`` is stored.
    public static let optimizerKey = "optimizer"

    /// The name of the optimizer that saved the state ("SGD", "Adam", "AdamW", "RMSprop").
    public var optimizer: String
    /// Per-parameter buffers, `state.<i>.<buffer>`.
    public var tensors: [String: Tensor]
    /// Step counts and group settings, `state.<i>.step` and `group.<g>.<setting>`.
    public var scalars: [String: Double]

    /// A state from its parts.
    public init(optimizer: String, tensors: [String: Tensor] = [:], scalars: [String: Double] = [:]) {
        self.optimizer = optimizer
        self.tensors = tensors
        self.scalars = scalars
    }

    /// The optimizer name and every scalar as strings, for a safetensors header's `__metadata__`.
    ///
    /// Numbers are written in Swift's shortest round-tripping form, so ``init(tensors:metadata:)`` reads back the
    /// identical `Double`s and a resumed run continues bit for bit.
    public var metadata: [String: String] {
        var strings = scalars.mapValues { "\($0)" }
        strings[Self.optimizerKey] = optimizer
        return strings
    }

    /// Reassembles a state from a checkpoint's tensors and string metadata (the inverse of ``metadata``).
    ///
    /// Throws if the optimizer name is missing or a value other than the name is not a number.
    public init(tensors: [String: Tensor], metadata: [String: String]) throws(OptimizerError) {
        guard let optimizer = metadata[Self.optimizerKey] else { throw .missingKey(Self.optimizerKey) }
        var scalars: [String: Double] = [:]
        for (key, text) in metadata where key != Self.optimizerKey {
            guard let value = Double(text) else {
                throw .invalidValue(key: key, value: text, requirement: "a number")
            }
            scalars[key] = value
        }
        self.init(optimizer: optimizer, tensors: tensors, scalars: scalars)
    }
}
