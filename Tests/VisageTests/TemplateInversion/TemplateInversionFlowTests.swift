import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Template inversion: the feature flow and its prior")
struct TemplateInversionFlowTests {
    /// A flow with random (non-identity) coupling weights.
    static func randomFlow(dimension: Int, couplings: Int) -> FeatureFlow {
        Runtime.seed(7)
        let flow = FeatureFlow(dimension: dimension, couplings: couplings, hiddenWidth: 6)
        withoutGrad {
            for layer in flow.layers {
                _ = layer.output.weight.copy_(Tensor.randn(layer.output.weight.shape) * 0.8)
                _ = layer.output.bias?.copy_(Tensor.randn([layer.output.outFeatures]) * 0.3)
            }
        }
        return flow
    }

    /// log|det| of a square matrix by Gaussian elimination with partial pivoting, in Double.
    static func logAbsDeterminant(_ matrix: [[Double]]) -> Double {
        var a = matrix
        let n = a.count
        var total = 0.0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            total += log(abs(a[column][column]))
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
            }
        }
        return total
    }

    @Test("log-determinant equals log|det| of the brute-force Jacobian (even and odd widths)",
          arguments: [4, 5])
    func logDeterminantMatchesJacobian(dimension: Int) throws {
        let flow = Self.randomFlow(dimension: dimension, couplings: 3)
        let batch = 3
        let x = (Tensor.randn([batch, dimension]) * 1.5).requiresGrad(true)
        let (z, logDeterminant) = flow.transform(x)
        // Row i of every sample's Jacobian: the gradient of Σ_samples z[:, i] (samples do not interact).
        var jacobians = Array(repeating: Array(repeating: [Double](repeating: 0, count: dimension), count: dimension),
                              count: batch)
        for i in 0..<dimension {
            let row = gradients(of: [z.narrow(1, start: i, length: 1).sum()], with: [x], retainGraph: true)[0]
            let values = row.to(.float64).array(of: Double.self)
            for sample in 0..<batch {
                jacobians[sample][i] = Array(values[(sample * dimension)..<((sample + 1) * dimension)])
            }
        }
        let computed = logDeterminant.to(.float64).array(of: Double.self)
        for sample in 0..<batch {
            let expected = Self.logAbsDeterminant(jacobians[sample])
            #expect(abs(expected) > 0.05, "the random flow should not be volume-preserving")
            #expect(abs(computed[sample] - expected) < 1e-4, "sample \(sample): \(computed[sample]) vs \(expected)")
        }
    }

    @Test("a fresh flow is the identity with log-determinant 0")
    func freshFlowIsIdentity() {
        let flow = FeatureFlow(dimension: 6, couplings: 2, hiddenWidth: 8)
        let x = Tensor.randn([4, 6])
        let (z, logDeterminant) = flow.transform(x)
        #expect((z - x).abs().max().item < 1e-6)
        #expect(logDeterminant.abs().max().item < 1e-6)
    }

    @Test("Eq. 12–13: per-identity Gaussian negative log-likelihood, μ_c = c·𝟙")
    func priorLikelihood() throws {
        let prior = IdentityGaussianPrior()
        let labels = try Tensor([Int64(0), 2], shape: [2])
        // Sample 0 sits on μ_0 = (0, 0, 0); sample 1 is (2, 2, 3), one away from μ_2 = (2, 2, 2).
        let z = try Tensor([Float(0), 0, 0, 2, 2, 3], shape: [2, 3])
        let logDeterminant = try Tensor([Float(0.5), -0.25], shape: [2])
        let constant = 1.5 * log(2 * Double.pi)
        // −log p = ½‖z − μ‖² + (D/2)·log 2π − log|det|: 0 + c − 0.5 and 0.5 + c + 0.25.
        let expected = ((constant - 0.5) + (0.5 + constant + 0.25)) / 2
        let value = prior.negativeLogLikelihood(latent: z, logDeterminant: logDeterminant, labels: labels).item
        #expect(abs(value - expected) < 1e-5)
        #expect(IdentityGaussianPrior(spacing: 0.5).means(labels: labels, dimension: 2).to(.float64)
            .array(of: Double.self) == [0, 0, 1, 1])
    }

    @Test("training by likelihood separates two identities' latents")
    func likelihoodTraining() throws {
        Runtime.seed(3)
        let flow = FeatureFlow(dimension: 4, couplings: 2, hiddenWidth: 16)
        let prior = IdentityGaussianPrior(spacing: 2)
        // Two identities whose features differ only in sign of the first component.
        let base = Tensor.randn([64, 4]) * 0.2
        let sign = try Tensor((0..<64).map { Float($0 % 2 == 0 ? -1 : 1) }, shape: [64, 1])
        let features = base + sign * (try Tensor([Float(1), 0, 0, 0], shape: [1, 4]))
        let labels = try Tensor((0..<64).map { Int64($0 % 2) }, shape: [64])
        func loss() -> Tensor {
            let (z, logDeterminant) = flow.transform(features)
            return prior.negativeLogLikelihood(latent: z, logDeterminant: logDeterminant, labels: labels)
        }
        let before = loss().item
        let optimizer = try Adam(flow.parameters(), learningRate: 0.02)
        for _ in 0..<150 {
            optimizer.zeroGrad()
            loss().backward()
            optimizer.step()
        }
        let after = loss().item
        #expect(after < before - 1, "NLL \(before) → \(after)")
    }
}
