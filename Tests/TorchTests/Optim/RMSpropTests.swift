import Testing
@testable import Torch

@Suite("RMSprop")
struct RMSpropTests {
    @Test("plain step: p −= lr · g / (√v + eps)")
    func plainStep() throws {
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try RMSprop([parameter], learningRate: 0.01, alpha: 0.99, eps: 1e-8)
        setGradient(parameter, [0.5, -1.0] as [Double])
        optimizer.step()
        // v = 0.01·g² = [0.0025, 0.01], √v = [0.05, 0.1] = 0.1·|g|, so each element moves by 0.01·10 = 0.1.
        let v = [0.01 * 0.25, 0.01 * 1.0]
        expectClose(parameter.array(of: Double.self),
                    [1.0 - 0.01 * 0.5 / (v[0].squareRoot() + 1e-8), -2.0 - 0.01 * -1.0 / (v[1].squareRoot() + 1e-8)])
        #expect(optimizer.state(of: parameter)?.step == 1)
    }

    @Test("centered with momentum and weight decay, two steps by hand")
    func centeredWithMomentum() throws {
        let (lr, alpha, eps, decay, momentum) = (0.01, 0.9, 1e-6, 0.01, 0.9)
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try RMSprop([parameter], learningRate: lr, alpha: alpha, eps: eps, weightDecay: decay,
                                    momentum: momentum, centered: true)
        var p = [1.0, -2.0]
        var v = [0.0, 0.0], gAvg = [0.0, 0.0], buffer = [0.0, 0.0]
        for g in [[0.5, -1.0], [0.25, 0.75]] as [[Double]] {
            setGradient(parameter, g)
            optimizer.step()
            for i in p.indices {
                let decayed = g[i] + decay * p[i]               // g' = g + wd·p
                v[i] = alpha * v[i] + (1 - alpha) * decayed * decayed   // v = α·v + (1 − α)·g'²
                gAvg[i] = alpha * gAvg[i] + (1 - alpha) * decayed       // ḡ = α·ḡ + (1 − α)·g'
                let average = (v[i] - gAvg[i] * gAvg[i]).squareRoot() + eps
                buffer[i] = momentum * buffer[i] + decayed / average    // buf = μ·buf + g'/avg
                p[i] -= lr * buffer[i]
            }
            expectClose(parameter.array(of: Double.self), p)
        }
        // Step 1 by hand for element 0: g' = 0.51, v = 0.1·0.2601 = 0.02601, ḡ = 0.051,
        // avg = √(0.02601 − 0.002601) + 1e−6 = √0.023409 + 1e−6 = 0.153 + 1e−6,
        // buf = 0.51/0.153001 ≈ 3.33331,
        // p = 1 − 0.0333331 ≈ 0.966667 (PyTorch in float32: 0.9666669).
        let state = try #require(optimizer.state(of: parameter))
        #expect(state.step == 2)
        expectClose(state.gradAvg!.array(of: Double.self), gAvg)
        expectClose(state.momentumBuffer!.array(of: Double.self), buffer)
        expectClose(state.squareAvg.array(of: Double.self), v)
    }

    @Test("state holds only the buffers the settings need")
    func stateBuffers() throws {
        let parameter = makeParameter([1.0] as [Double])
        let optimizer = try RMSprop([parameter])
        setGradient(parameter, [1.0] as [Double])
        optimizer.step()
        let state = try #require(optimizer.state(of: parameter))
        #expect(state.momentumBuffer == nil)
        #expect(state.gradAvg == nil)
        #expect(state.savedTensors.map(\.key) == ["square_avg"])
    }

    @Test("invalid settings throw", arguments: [
        RMSpropRule.Hyperparameters(learningRate: -1),
        RMSpropRule.Hyperparameters(alpha: -0.5),
        RMSpropRule.Hyperparameters(eps: -1),
        RMSpropRule.Hyperparameters(weightDecay: -1),
        RMSpropRule.Hyperparameters(momentum: -0.9),
    ])
    func invalidSettings(_ settings: RMSpropRule.Hyperparameters) {
        #expect(throws: OptimizerError.self) { try RMSprop([makeParameter([1.0] as [Double])], settings) }
    }
}
