import Foundation
import Testing
import Torch
@testable import Visage

@Suite("R³AN losses")
struct R3ANLossTests {
    @Test("Eq. 4, 8, 9: the per-sample Euclidean distance averaged over the batch")
    func distances() throws {
        // Rows (3, 4) and (0, 0) against zeros: distances 5 and 0, mean 2.5 (not the squared 12.5).
        let a = try Tensor([Float(3), 4, 0, 0], shape: [2, 2])
        #expect(abs(R3ANLoss.representation(extracted: a, target: a.zerosLike()).item - 2.5) < 1e-6)
        #expect(abs(R3ANLoss.regression(transformed: a, target: a.zerosLike()).item - 2.5) < 1e-6)
        // Faces: every element of a sample counts; a 1×2×2 sample of ones against zeros is 2 apart.
        let faces = Tensor.ones([3, 1, 2, 2])
        #expect(abs(R3ANLoss.reconstruction(generated: faces, real: faces.zerosLike()).item - 2) < 1e-6)
    }

    @Test("Eq. 5 and 6 from logits: values and the directions they push")
    func adversarial() throws {
        let zero = Tensor.zeros([1])
        // log σ(0) + log(1 − σ(0)) = 2·log ½.
        #expect(abs(R3ANLoss.discriminatorValue(realLogits: zero, generatedLogits: zero).item - 2 * log(0.5)) < 1e-6)
        #expect(abs(R3ANLoss.discriminator(realLogits: zero, generatedLogits: zero).item + 2 * log(0.5)) < 1e-6)
        // −log σ(0) = log 2 and −log σ(ln 3) = log(4/3); their mean 0.4904146.
        let logits = try Tensor([Float(0), Float(log(3.0))], shape: [2])
        #expect(abs(R3ANLoss.adversarial(generatedLogits: logits).item - 0.4904146) < 1e-6)
        // D's loss falls as real faces score higher and generated ones lower; G's as its faces score higher.
        let real = try Tensor([Float(0)], shape: [1]).requiresGrad(true)
        let fake = try Tensor([Float(0)], shape: [1]).requiresGrad(true)
        R3ANLoss.discriminator(realLogits: real, generatedLogits: fake).backward()
        #expect(try #require(real.grad).item < 0 && (try #require(fake.grad).item) > 0)
        let generated = try Tensor([Float(0)], shape: [1]).requiresGrad(true)
        R3ANLoss.adversarial(generatedLogits: generated).backward()
        #expect(try #require(generated.grad).item < 0)
    }
}
