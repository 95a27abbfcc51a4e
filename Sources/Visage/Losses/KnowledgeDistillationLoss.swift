import Torch

/// Bridge distillation's knowledge-distillation term (Ge et al., Eq. 3): the cross-entropy between the
/// temperature-softened teacher softmax and the student's softmax.
///
///     loss = mean over samples of −Σ_k softmax(teacher / T)_k · log softmax(student)_k
///
/// Eq. 3 softens the teacher only (`ŝ = S_t(f_t) / T`); the student's logits enter at temperature 1. Hinton et
/// al. soften both and multiply by T² to restore the gradient scale, which shrinks as 1/T when the student is
/// softened too; with an unsoftened student the gradient `softmax(student) − softmax(teacher / T)` keeps its
/// scale, so there is no T² factor here. The paper sums over the images of the set; this is the batch mean.
/// The teacher logits are detached. The paper gives no temperature value, so it has no default.
public struct KnowledgeDistillationLoss: Sendable, Codable {
    /// The temperature T dividing the teacher's logits (positive; higher is softer).
    public let temperature: Double

    /// A loss softening the teacher at `temperature`.
    public init(temperature: Double) {
        precondition(temperature > 0, "KnowledgeDistillationLoss needs a positive temperature, got \(temperature)")
        self.temperature = temperature
    }

    /// Decodes a configuration, rejecting a temperature that is not positive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        temperature = try container.decode(Double.self, forKey: .temperature)
        guard temperature > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .temperature, in: container,
                debugDescription: "expected a positive temperature, got \(temperature)")
        }
    }

    /// The mean soft cross-entropy of student logits `[N, C]` against teacher logits `[N, C]`.
    public func callAsFunction(student: Tensor, teacher: Tensor) -> Tensor {
        precondition(
            student.rank == 2 && student.shape == teacher.shape,
            "KnowledgeDistillationLoss expects student and teacher logits of one shape [N, C], got "
                + "\(student.shape) and \(teacher.shape)")
        let softenedTeacher = Functional.softmax(teacher.detached() / temperature, dim: 1)
        return Functional.crossEntropy(student, target: softenedTeacher)
    }
}
