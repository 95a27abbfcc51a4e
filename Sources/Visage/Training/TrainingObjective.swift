import Torch

/// What a ``Trainer`` trains: the modules that learn, and the losses of one batch.
///
/// A face-recognition objective holds a backbone and a margin-softmax head; a distillation objective holds a
/// student (and keeps its frozen teacher out of ``modules``). The trainer optimizes every parameter of
/// ``modules``, saves each module in every checkpoint under its name, and restores them on resume.
///
/// ```swift
/// final class Classification: TrainingObjective {
///     let backbone: Module, head: MarginSoftmax
///     var modules: [String: Module] { ["backbone": backbone, "head": head] }
///     func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
///         ["loss": head.loss(backbone(batch.images), labels: batch.labels)]
///     }
/// }
/// ```
public protocol TrainingObjective: AnyObject {
    /// The trained modules by name; the names become checkpoint file names (`NAME.safetensors`), so they must be
    /// non-empty and use only letters, digits, `-`, `_` and `.`.
    var modules: [String: Module] { get }

    /// The scalar losses of `batch` at training step `step` (0-based), computed with gradients recorded.
    ///
    /// The trainer back-propagates the value under `"loss"` and logs the others (its parts, accuracies); every
    /// value must be a one-element tensor. Throw for problems the data can cause (a label out of range).
    func losses(on batch: Batch, step: Int) throws -> [String: Tensor]
}
