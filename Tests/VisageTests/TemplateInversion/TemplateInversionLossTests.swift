import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Template inversion: losses")
struct TemplateInversionLossTests {
    @Test("Eq. 10: W₂² between unit Gaussians is the squared distance of the means; diagonal covariances add (σ̃ − σ)²")
    func wassersteinDistance() throws {
        let a = try Tensor([Float(0), 0, 1, 1], shape: [2, 2])
        let b = try Tensor([Float(3), 4, 1, 1], shape: [2, 2])
        #expect(BijectiveMetric.distance(a, b).to(.float64).array(of: Double.self) == [25, 0])
        // Same means, standard deviations 1 vs 3 along one axis: (3 − 1)² = 4.
        let variances = try Tensor([Float(1), 9], shape: [1, 2])
        let value = BijectiveMetric.gaussianDistance(mean: a.narrow(0, start: 0, length: 1), variance: variances,
                                                     mean: a.narrow(0, start: 0, length: 1),
                                                     variance: Tensor.ones([1, 2])).item
        #expect(abs(value - 4) < 1e-6)
    }

    @Test("Eq. 11 (hinge as the text reads it): same identity pays d, different identities pay max(0, m − d)")
    func identityHinge() throws {
        // Rows (0,0), (3,4), (0,1); identities 0, 0, 1; margin 10.
        // Same pair (0,1): d = 25. Different pairs: (0,2) d = 1 → 9; (1,2) d = 9 + 9 = 18 → 0. 25 + 9/2 = 29.5.
        let z = try Tensor([Float(0), 0, 3, 4, 0, 1], shape: [3, 2]).requiresGrad(true)
        let labels = try Tensor([Int64(0), 0, 1], shape: [3])
        let loss = BijectiveMetric(margin: 10).identityLoss(z, labels: labels)
        #expect(abs(loss.item - 29.5) < 1e-4)
        // The hinge pushes the close different-identity pair apart: row 2 moves away from row 0 (+y).
        loss.backward()
        let gradient = try #require(z.grad).to(.float64).array(of: Double.self)
        #expect(gradient[5] < 0, "descending moves (0,1) further from (0,0): \(gradient)")
        // No pair of a kind: only the other kind counts.
        let single = BijectiveMetric(margin: 10).identityLoss(z.detached().narrow(0, start: 0, length: 2),
                                                              labels: labels.narrow(0, start: 0, length: 2))
        #expect(abs(single.item - 25) < 1e-4)
    }

    @Test("WGAN-GP: a linear critic's gradient penalty is (‖w‖ − 1)² with gradient 2(‖w‖ − 1)·w/‖w‖")
    func gradientPenaltyLinearCritic() throws {
        let w = try Tensor([Float(3), 4], shape: [2, 1]).requiresGrad(true)
        let real = Tensor.randn([5, 2]), generated = Tensor.randn([5, 2])
        let penalty = GradientPenalty.penalty(critic: { $0.matmul(w) }, real: real, generated: generated)
        #expect(abs(penalty.item - 16) < 1e-4)
        penalty.backward()
        let gradient = try #require(w.grad).to(.float64).array(of: Double.self)
        #expect(abs(gradient[0] - 4.8) < 1e-4 && abs(gradient[1] - 6.4) < 1e-4, "\(gradient)")
    }

    @Test("WGAN-GP: the penalty is taken at ε·real + (1 − ε)·generated")
    func gradientPenaltyInterpolation() throws {
        // D(x) = ‖x‖², ∇D = 2x. Real (1, 0), generated (0, 0): ε = ½ gives x̂ = (½, 0), norm 1, penalty 0;
        // ε = 1 gives x̂ = (1, 0), norm 2, penalty 1. Mean ½.
        let real = try Tensor([Float(1), 0, 1, 0], shape: [2, 2])
        let mixing = try Tensor([Float(0.5), 1], shape: [2])
        let penalty = GradientPenalty.penalty(critic: { $0.square().sum(1) }, real: real,
                                              generated: real.zerosLike(), mixing: mixing)
        #expect(abs(penalty.item - 0.5) < 1e-5)
    }

    @Test("Eq. 14: (1 − cos)² — 0 when parallel at any length, 1 orthogonal, 4 opposite, averaged over rows")
    func distillationLoss() throws {
        let a = try Tensor([Float(1), 0, 1, 0, 1, 0], shape: [3, 2])
        let b = try Tensor([Float(5), 0, 0, 2, -3, 0], shape: [3, 2])
        #expect(abs(IdentityDistillationLoss.cosine(a, b).item - 5.0 / 3) < 1e-5)
        #expect(IdentityDistillationLoss.cosine(a.narrow(0, start: 0, length: 1), b.narrow(0, start: 0, length: 1))
            .item < 1e-7)
        // Eq. 15's intermediate term: ‖ones − zeros‖ over a 1×2×2 map is 2, divided by W·H·C = 4.
        let maps = Tensor.ones([3, 1, 2, 2])
        #expect(abs(IdentityDistillationLoss.intermediate(maps, maps.zerosLike()).item - 0.5) < 1e-6)
    }

    @Test("Eq. 18: identity weights fall and the adversarial weight rises with the scale")
    func lossWeights() {
        let weights = InversionLossWeights(alpha: 0.001, beta: 1, maxScale: 4)
        let first = weights.values(scale: 1), last = weights.values(scale: 4)
        #expect(abs(first.distillation - exp(3)) < 1e-12 && abs(first.reconstruction - exp(3)) < 1e-12)
        #expect(abs(first.bijective - 0.001 * exp(3)) < 1e-12 && abs(first.adversarial - exp(1)) < 1e-12)
        #expect(last.distillation == 1 && abs(last.adversarial - exp(4)) < 1e-12)
        #expect(weights.scale(step: 0, of: 11) == 1 && weights.scale(step: 10, of: 11) == 4)
        #expect(weights.scale(step: 5, of: 11) == 2.5)
    }
}
