import Foundation
import Testing
@testable import Torch

@Suite("Adam and AdamW")
struct AdamTests {
    /// One Adam step in Double arithmetic, written out: the reference the tests compare with.
    static func adamStep(
        _ p: [Double], _ g: [Double], m: inout [Double], v: inout [Double], step: Int, lr: Double, beta1: Double,
        beta2: Double, eps: Double
    ) -> [Double] {
        let bias1 = 1 - pow(beta1, Double(step))
        let bias2 = 1 - pow(beta2, Double(step))
        var result = p
        for i in p.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            result[i] = p[i] - (lr / bias1) * m[i] / (v[i].squareRoot() / bias2.squareRoot() + eps)
        }
        return result
    }

    @Test("Adam steps 1 and 2 with bias correction, by hand")
    func adamTwoSteps() throws {
        let (lr, beta1, beta2, eps) = (0.01, 0.9, 0.999, 1e-8)
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try Adam([parameter], learningRate: lr, betas: (beta1, beta2), eps: eps)

        // Step 1: m = 0.1·g = [0.05, −0.1]; v = 0.001·g² = [0.00025, 0.001]; bias corrections 0.1 and 0.001, so
        // m̂ = g and √v̂ = |g|: each element moves by lr · sign(g) (up to eps): p ≈ [0.99, −1.99].
        setGradient(parameter, [0.5, -1.0] as [Double])
        optimizer.step()
        var m = [0.0, 0.0], v = [0.0, 0.0]
        let p1 = Self.adamStep([1.0, -2.0], [0.5, -1.0], m: &m, v: &v, step: 1, lr: lr, beta1: beta1, beta2: beta2,
                               eps: eps)
        expectClose(parameter.array(of: Double.self), p1)
        expectClose(p1, [0.99, -1.99], tolerance: 1e-9)
        let state1 = try #require(optimizer.state(of: parameter))
        #expect(state1.step == 1)
        expectClose(state1.expAvg.array(of: Double.self), [0.05, -0.1])
        expectClose(state1.expAvgSq.array(of: Double.self), [0.00025, 0.001])

        // Step 2: m = 0.9·[0.05, −0.1] + 0.1·[0.25, 0.75] = [0.07, −0.015];
        // v = 0.999·[0.00025, 0.001] + 0.001·[0.0625, 0.5625] = [0.00031225, 0.0015615];
        // p −= (0.01 / 0.19) · m / (√v / √0.001999 + 1e−8)
        setGradient(parameter, [0.25, 0.75] as [Double])
        optimizer.step()
        let p2 = Self.adamStep(p1, [0.25, 0.75], m: &m, v: &v, step: 2, lr: lr, beta1: beta1, beta2: beta2, eps: eps)
        expectClose(m, [0.07, -0.015])
        expectClose(v, [0.00031225, 0.0015615])
        expectClose(parameter.array(of: Double.self), p2)
        let state2 = try #require(optimizer.state(of: parameter))
        #expect(state2.step == 2)
        expectClose(state2.expAvg.array(of: Double.self), m)
    }

    @Test("Adam adds weight decay to the gradient; AdamW shrinks the parameter first")
    func coupledVersusDecoupledDecay() throws {
        let (lr, decay) = (0.01, 0.1)
        let coupled = makeParameter([1.0, -2.0] as [Double])
        let decoupled = makeParameter([1.0, -2.0] as [Double])
        let adam = try Adam([coupled], learningRate: lr, weightDecay: decay)
        let adamW = try AdamW([decoupled], learningRate: lr, weightDecay: decay)
        for gradient in [[0.5, -1.0], [0.25, 0.75]] as [[Double]] {
            setGradient(coupled, gradient)
            setGradient(decoupled, gradient)
            adam.step()
            adamW.step()
        }

        // Adam: g' = g + 0.1·p, then the plain Adam step on g'.
        var m = [0.0, 0.0], v = [0.0, 0.0]
        var p = [1.0, -2.0]
        for (step, g) in ([[0.5, -1.0], [0.25, 0.75]] as [[Double]]).enumerated() {
            let decayed = [g[0] + decay * p[0], g[1] + decay * p[1]]
            p = Self.adamStep(p, decayed, m: &m, v: &v, step: step + 1, lr: lr, beta1: 0.9, beta2: 0.999, eps: 1e-8)
        }
        expectClose(coupled.array(of: Double.self), p)

        // AdamW: p ← p·(1 − lr·wd) = p·0.999, then the plain Adam step on the undecayed g.
        var mW = [0.0, 0.0], vW = [0.0, 0.0]
        var pW = [1.0, -2.0]
        for (step, g) in ([[0.5, -1.0], [0.25, 0.75]] as [[Double]]).enumerated() {
            let shrunk = pW.map { $0 * (1 - lr * decay) }
            pW = Self.adamStep(shrunk, g, m: &mW, v: &vW, step: step + 1, lr: lr, beta1: 0.9, beta2: 0.999, eps: 1e-8)
        }
        expectClose(decoupled.array(of: Double.self), pW)
        // Step 1 of AdamW: 0.999·[1, −2] − 0.01·sign(g) = [0.989, −1.988].
        #expect(abs(pW[0] - coupled.array(of: Double.self)[0]) > 1e-6, "the two decays differ")
    }

    @Test("AMSGrad normalises by the largest second moment seen")
    func amsgrad() throws {
        let (lr, beta1, beta2, eps) = (0.1, 0.5, 0.5, 0.0)
        let parameter = makeParameter([0.0] as [Double])
        let optimizer = try Adam([parameter], learningRate: lr, betas: (beta1, beta2), eps: eps, amsgrad: true)
        // Step 1: g = 2: m = 1, v = 2, v̂ = 2; p = −(0.1/0.5)·1/(√2/√0.5) = −0.1.
        setGradient(parameter, [2.0] as [Double])
        optimizer.step()
        expectClose(parameter.array(of: Double.self), [-0.1])
        // Step 2: g = 0: m = 0.5, v = 1, but v̂ stays 2; p −= (0.1/0.75)·0.5/(√2/√0.75).
        setGradient(parameter, [0.0] as [Double])
        optimizer.step()
        let state = try #require(optimizer.state(of: parameter))
        expectClose(state.maxExpAvgSq!.array(of: Double.self), [2.0])
        expectClose(state.expAvgSq.array(of: Double.self), [1.0])
        let secondStep = (0.1 / 0.75) * 0.5 / (2.0.squareRoot() / 0.75.squareRoot())
        expectClose(parameter.array(of: Double.self), [-0.1 - secondStep])
    }

    @Test("AdamW defaults to PyTorch's weight decay of 0.01")
    func adamWDefaults() throws {
        let optimizer = try AdamW([makeParameter([1.0] as [Double])])
        #expect(optimizer.groups[0].hyperparameters == AdamHyperparameters(weightDecay: 0.01))
        #expect(optimizer.name == "AdamW")
    }

    @Test("invalid settings throw", arguments: [
        AdamHyperparameters(learningRate: -1),
        AdamHyperparameters(beta1: 1.0),
        AdamHyperparameters(beta2: -0.1),
        AdamHyperparameters(eps: -1e-8),
        AdamHyperparameters(weightDecay: -0.01),
    ])
    func invalidSettings(_ settings: AdamHyperparameters) {
        #expect(throws: OptimizerError.self) { try Adam([makeParameter([1.0] as [Double])], settings) }
        #expect(throws: OptimizerError.self) { try AdamW([makeParameter([1.0] as [Double])], settings) }
    }
}
