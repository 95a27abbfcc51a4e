import Testing
@testable import Torch

@Suite("SGD")
struct SGDTests {
    @Test("plain step: param -= lr * grad")
    func plainStep() throws {
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try SGD([parameter], learningRate: 0.1)
        setGradient(parameter, [0.5, -1.0] as [Double])
        optimizer.step()
        expectClose(parameter.array(of: Double.self), [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -1.0])
        #expect(optimizer.state(of: parameter) == nil, "no momentum, no state")
    }

    @Test("momentum + Nesterov + weight decay, two steps by hand")
    func nesterovWithWeightDecay() throws {
        let (lr, momentum, decay) = (0.1, 0.9, 0.01)
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try SGD([parameter], learningRate: lr, momentum: momentum, weightDecay: decay, nesterov: true)

        // Step 1: d = g + wd·p = [0.51, -1.02]; buf = d; d += 0.9·buf → [0.969, -1.938];
        // p -= 0.1·d → [0.9031, -1.8062]
        setGradient(parameter, [0.5, -1.0] as [Double])
        optimizer.step()
        let d1 = [0.5 + decay * 1.0, -1.0 + decay * -2.0]
        let buffer1 = d1
        let p1 = [1.0 - lr * (d1[0] + momentum * buffer1[0]), -2.0 - lr * (d1[1] + momentum * buffer1[1])]
        expectClose(parameter.array(of: Double.self), p1)
        expectClose(p1, [0.9031, -1.8062])
        expectClose(optimizer.state(of: parameter)!.momentumBuffer.array(of: Double.self), buffer1)

        // Step 2: d = [0.25 + 0.009031, 0.75 − 0.018062] = [0.259031, 0.731938];
        // buf = 0.9·[0.51, −1.02] + d = [0.718031, −0.186062]; d += 0.9·buf → [0.9052589, 0.5644822];
        // p → [0.81257411, −1.86264822]
        setGradient(parameter, [0.25, 0.75] as [Double])
        optimizer.step()
        let d2 = [0.25 + decay * p1[0], 0.75 + decay * p1[1]]
        let buffer2 = [momentum * buffer1[0] + d2[0], momentum * buffer1[1] + d2[1]]
        let p2 = [p1[0] - lr * (d2[0] + momentum * buffer2[0]), p1[1] - lr * (d2[1] + momentum * buffer2[1])]
        expectClose(parameter.array(of: Double.self), p2)
        expectClose(p2, [0.81257411, -1.86264822])
        expectClose(optimizer.state(of: parameter)!.momentumBuffer.array(of: Double.self), buffer2)
    }

    @Test("dampening scales the gradient's share of the momentum buffer after the first step")
    func dampening() throws {
        let parameter = makeParameter([1.0, -2.0] as [Double])
        let optimizer = try SGD([parameter], learningRate: 0.5, momentum: 0.8, dampening: 0.25)
        setGradient(parameter, [1.0, 2.0] as [Double])
        optimizer.step()  // buf = g (no dampening on the first step) = [1, 2]; p = [0.5, −3]
        expectClose(parameter.array(of: Double.self), [1.0 - 0.5 * 1.0, -2.0 - 0.5 * 2.0])
        setGradient(parameter, [4.0, -4.0] as [Double])
        optimizer.step()  // buf = 0.8·[1, 2] + 0.75·[4, −4] = [3.8, −1.4]; p = [0.5 − 1.9, −3 + 0.7]
        expectClose(parameter.array(of: Double.self),
                    [0.5 - 0.5 * (0.8 * 1 + 0.75 * 4), -3.0 - 0.5 * (0.8 * 2 + 0.75 * -4)])
    }

    @Test("parameters without a gradient are skipped and get no state")
    func skipsParametersWithoutGradient() throws {
        let withGradient = makeParameter([1.0, 1.0] as [Double])
        let without = makeParameter([5.0, 6.0] as [Double])
        let optimizer = try SGD([withGradient, without], learningRate: 0.1, momentum: 0.9)
        setGradient(withGradient, [1.0, -1.0] as [Double])
        optimizer.step()
        expectClose(withGradient.array(of: Double.self), [0.9, 1.1])
        #expect(without.array(of: Double.self) == [5.0, 6.0])
        #expect(optimizer.state(of: withGradient) != nil)
        #expect(optimizer.state(of: without) == nil)
    }

    @Test("zeroGrad removes gradients, or zeroes them in place")
    func zeroGrad() throws {
        let parameter = makeParameter([1.0, 2.0] as [Double])
        let optimizer = try SGD([parameter], learningRate: 0.1)
        setGradient(parameter, [3.0, 4.0] as [Double])
        optimizer.zeroGrad(setToNone: false)
        #expect(parameter.grad?.array(of: Double.self) == [0, 0])
        optimizer.zeroGrad()
        #expect(parameter.grad == nil)
        // A zeroed gradient still takes part in the step (weight decay moves the parameter), a removed one does not.
        let decayed = try SGD([parameter], learningRate: 0.1, weightDecay: 1)
        decayed.step()
        #expect(parameter.array(of: Double.self) == [1.0, 2.0])
        setGradient(parameter, [3.0, 4.0] as [Double])
        decayed.zeroGrad(setToNone: false)
        decayed.step()
        expectClose(parameter.array(of: Double.self), [0.9, 1.8])
    }

    @Test("backward, step, zeroGrad reads like PyTorch")
    func trainingLoop() throws {
        // Minimise (w − 3)²: the gradient 2(w − 3) and lr 0.25 halve the distance to 3 each step.
        let weight = makeParameter([1.0] as [Double])
        let optimizer = try SGD([weight], learningRate: 0.25)
        for _ in 0..<4 {
            let loss = ((weight - 3) * (weight - 3)).sum()
            loss.backward()
            optimizer.step()
            optimizer.zeroGrad()
        }
        expectClose(weight.array(of: Double.self), [3 - 2 * 0.0625])
    }

    @Test("invalid settings throw", arguments: [
        SGDRule.Hyperparameters(learningRate: -0.1),
        SGDRule.Hyperparameters(learningRate: .nan),
        SGDRule.Hyperparameters(learningRate: 0.1, momentum: -1),
        SGDRule.Hyperparameters(learningRate: 0.1, weightDecay: -1),
        SGDRule.Hyperparameters(learningRate: 0.1, nesterov: true),
        SGDRule.Hyperparameters(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
    ])
    func invalidSettings(_ settings: SGDRule.Hyperparameters) {
        #expect(throws: OptimizerError.self) { try SGD([makeParameter([1.0] as [Double])], settings) }
    }
}
