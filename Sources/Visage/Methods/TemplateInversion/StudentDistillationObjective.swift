import Foundation
import Torch

/// Blackbox distillation (Eq. 14) as a ``Trainer`` objective: the ``InversionStudent`` descends (Adam) on
/// (1 − cos(F(x), F^S(x)))² against the engine's precomputed templates F(x) — the engine's gradients and
/// internals are never used. Faces are mirrored at random (half of each batch) with the same template, since a
/// face recognizer's template barely changes under a mirror. Module `student`, optimizer `optimizer-student`.
public final class StudentDistillationObjective: TrainingObjective {
    public let faces: InversionFaces
    public let student: InversionStudent

    public init(faces: InversionFaces, seed: UInt64) {
        self.faces = faces
        Runtime.seed(seed)
        student = InversionStudent(templateDimension: faces.templateDimension)
    }

    public var modules: [String: Module] { ["student": student] }

    public var trajectorySettings: [String: String] {
        ["template_dimension": "\(faces.templateDimension)", "face_size": "\(faces.faceSize)",
         "images": "\(faces.count)"]
    }

    public func updates(config: TrainingConfig) throws -> [TrainingUpdate] {
        let optimizer = try Adam(student.parameters(), learningRate: config.learningRate,
                                 weightDecay: config.weightDecay)
        return [TrainingUpdate(name: "distillation", optimizers: ["optimizer-student": optimizer]) { [self] batch, _ in
            let templates = try faces.templates(rows: batch.indices)
            let count = batch.images.shape[0]
            let mirror = Tensor.rand([count, 1, 1, 1]).lt(0.5).to(.float32)
            let images = batch.images * (1 - mirror) + batch.images.flipped([3]) * mirror
            let loss = IdentityDistillationLoss.cosine(student(images), templates)
            return ["loss": loss]
        }]
    }
}
