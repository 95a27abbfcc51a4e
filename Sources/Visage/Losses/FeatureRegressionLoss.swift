import Torch

/// Bridge distillation's feature regression (Ge et al., Eq. 6): the squared L2 distance between the student's
/// mimicking-layer features of a low-resolution face and the adapted teacher features of its high-resolution
/// original.
///
///     loss = mean over samples of ‖student_i − adapted_i‖²
///
/// The distance is summed over feature dimensions (Eq. 6's ‖·‖², not a per-element mean as `mseLoss`), and
/// averaged over the batch where the paper sums over the set. The adapted teacher features are the fixed
/// targets of this stage (Eq. 4 minimizes over the student's weights only), so they are detached.
public struct FeatureRegressionLoss: Sendable, Codable {
    /// The loss; it has no settings.
    public init() {}

    /// The mean squared L2 distance between student features `[N, D]` and adapted teacher features `[N, D]`.
    public func callAsFunction(student: Tensor, adaptedTeacher: Tensor) -> Tensor {
        precondition(
            student.rank == 2 && student.shape == adaptedTeacher.shape,
            "FeatureRegressionLoss expects student and adapted teacher features of one shape [N, D], got "
                + "\(student.shape) and \(adaptedTeacher.shape)")
        return (student - adaptedTeacher.detached()).square().sum(1).mean()
    }
}
