import Testing
import Torch

/// Differentiating through a gradient (`createGraph: true`), as WGAN-GP's gradient penalty does.
@Suite struct SecondOrderGradientTests {
    /// A 2-layer critic `D(x) = tanh(x · W₁ᵀ + b₁) · w₂ᵀ + b₂` on a fixed batch.
    struct Critic {
        var x: Tensor

        func callAsFunction(_ parameters: [Tensor], input: Tensor) -> Tensor {
            let hidden = Functional.tanh(Functional.linear(input, weight: parameters[0], bias: parameters[1]))
            return Functional.linear(hidden, weight: parameters[2], bias: parameters[3])
        }

        /// ‖∂D(x)/∂x‖² summed over the batch, differentiable with respect to the parameters.
        func gradientPenalty(_ parameters: [Tensor]) -> Tensor {
            let input = x.detached().clone().requiresGrad(true)
            let output = self(parameters, input: input)
            let inputGradient = gradients(of: [output.sum()], with: [input], createGraph: true)[0]
            return (inputGradient * inputGradient).sum()
        }
    }

    static func parameters() -> [Tensor] {
        var data = TestData(seed: 40)
        return [data.tensor([4, 3]), data.tensor([4]), data.tensor([1, 4]), data.tensor([1])]
    }

    @Test func inputGradientMatchesClosedForm() {
        var data = TestData(seed: 41)
        let critic = Critic(x: data.tensor([5, 3]))
        let parameters = Self.parameters()
        let input = critic.x.clone().requiresGrad(true)
        let inputGradient = gradients(of: [critic(parameters, input: input).sum()], with: [input])[0]
        // ∂D/∂x = (w₂ ⊙ (1 − h²)) · W₁ with h = tanh(x · W₁ᵀ + b₁).
        let hidden = (critic.x.matmul(parameters[0].transposed()) + parameters[1]).tanh()
        let expected = (parameters[2] * (1 - hidden * hidden)).matmul(parameters[0])
        #expect(isClose(inputGradient.doubles, expected.doubles, tolerance: 1e-12))
    }

    @Test func gradientPenaltyGradientMatchesFiniteDifferences() {
        var data = TestData(seed: 41)
        let critic = Critic(x: data.tensor([5, 3]))
        let outcome = GradientChecker().check(Self.parameters(), critic.gradientPenalty)
        #expect(outcome.passed, "\(outcome)")
        let parameters = Self.parameters().map { $0.requiresGrad(true) }
        let penalty = critic.gradientPenalty(parameters)
        #expect(penalty.requiresGrad)
        // b₂ shifts D by a constant, so it cannot change ∂D/∂x.
        let biasGradient = gradients(of: [penalty], with: [parameters[3]], allowUnused: true)
        #expect(biasGradient[0].doubles == [0])
    }
}
