import Foundation
import Testing
import Torch
@testable import Visage

/// Bridge distillation's knowledge-distillation (Eq. 3) and feature-regression (Eq. 6) terms against float64
/// PyTorch references (`/usr/bin/python3 scripts/loss_references.py`).
@Suite("Bridge distillation losses")
struct BridgeDistillationLossTests {
    @Test("Knowledge distillation is the soft cross-entropy against the teacher at temperature 4")
    func knowledgeDistillation() throws {
        let student = try Tensor([1.0, 2.0, 0.5, -1.0, 0.3, -0.2, 2.5, 0.0, -1.0, 0.0, 0.4, 1.2], shape: [3, 4])
            .requiresGrad(true)
        let teacher = try Tensor([3.0, 5.0, 1.0, -2.0, 0.0, 1.0, 6.0, 2.0, -2.0, 1.0, 0.5, 4.0], shape: [3, 4])
            .requiresGrad(true)
        let loss = KnowledgeDistillationLoss(temperature: 4)(student: student, teacher: teacher)
        expectClose(loss, [1.31716231], tolerance: 1e-8)
        loss.backward()
        expectClose(
            student.grad,
            [-0.0193793145, 0.047983525, -0.0117541484, -0.0168500622, -0.0103036347, -0.0330880597, 0.0869909042,
             -0.0435992099, -0.0153672223, -0.0206011466, 0.0146860805, 0.0212822884],
            tolerance: 1e-8)
        #expect(teacher.grad == nil)
    }

    @Test("Knowledge distillation rejects a temperature that is not positive when decoding")
    func temperatureDecoding() throws {
        #expect(try JSONDecoder().decode(KnowledgeDistillationLoss.self, from: Data(#"{"temperature": 2}"#.utf8))
            .temperature == 2)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(KnowledgeDistillationLoss.self, from: Data(#"{"temperature": 0}"#.utf8))
        }
    }

    @Test("Feature regression is the mean squared L2 distance to the detached adapted features")
    func featureRegression() throws {
        let student = try Tensor([0.5, -1.0, 2.0, 1.5, 0.0, -0.5], shape: [2, 3]).requiresGrad(true)
        let adapted = try Tensor([0.0, -0.5, 1.0, 1.0, 1.0, 0.5], shape: [2, 3]).requiresGrad(true)
        let loss = FeatureRegressionLoss()(student: student, adaptedTeacher: adapted)
        expectClose(loss, [1.875], tolerance: 1e-12)
        loss.backward()
        expectClose(student.grad, [0.5, -0.5, 1, 0.5, -1, -1], tolerance: 1e-12)
        #expect(adapted.grad == nil)
        #expect(FeatureRegressionLoss()(student: adapted, adaptedTeacher: adapted).item == 0)
    }
}
