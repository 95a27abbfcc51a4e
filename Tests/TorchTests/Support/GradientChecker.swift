import Torch

/// Compares autograd's gradients with central finite differences, in float64.
///
/// The function's output `y` is reduced to the scalar `s = Σ r ⊙ y` with a fixed pseudo-random projection `r`,
/// so one backward pass checks a vector–Jacobian product that involves every output element. For each input
/// element `xⱼ` the numerical derivative is `(s(xⱼ + h) − s(xⱼ − h)) / 2h`, and the check passes when
/// `|analytic − numeric| ≤ absoluteTolerance + relativeTolerance · |numeric|` everywhere.
///
/// The function is evaluated with gradient recording left on, so it may itself take gradients (second-order
/// checks). Inputs should be small: the check costs two evaluations per input element.
struct GradientChecker {
    var step = 1e-6
    var relativeTolerance = 1e-4
    var absoluteTolerance = 1e-6

    /// The outcome of a check, with the worst element for the failure message.
    struct Outcome: CustomStringConvertible {
        var passed: Bool
        var input = 0
        var element = 0
        var analytic = 0.0
        var numeric = 0.0
        var elementsChecked = 0

        var description: String {
            "\(passed ? "passed" : "FAILED"): worst at input \(input) element \(element): autograd \(analytic), "
                + "finite differences \(numeric) (\(elementsChecked) elements checked)"
        }
    }

    func check(_ inputs: [Tensor], _ function: ([Tensor]) -> Tensor) -> Outcome {
        let leaves = inputs.map { $0.to(.float64).detached().clone().requiresGrad(true) }
        let output = function(leaves)
        let projection = Self.projection(shape: output.shape)
        let analytic = gradients(of: [(output * projection).sum()], with: leaves, allowUnused: true)
            .map { $0.doubles }

        func projected(_ arguments: [Tensor]) -> Double {
            (function(arguments) * projection).sum().item
        }

        var outcome = Outcome(passed: true)
        var worstExcess = -Double.infinity
        let baseValues = leaves.map { $0.detached().doubles }
        for (inputIndex, values) in baseValues.enumerated() {
            let shape = leaves[inputIndex].shape
            for element in values.indices {
                func shifted(_ delta: Double) -> Double {
                    var changed = values
                    changed[element] += delta
                    var arguments = leaves.map { $0.detached() }
                    arguments[inputIndex] = try! Tensor(changed, shape: shape)
                    return projected(arguments)
                }
                let numeric = (shifted(step) - shifted(-step)) / (2 * step)
                let automatic = analytic[inputIndex][element]
                let allowed = absoluteTolerance + relativeTolerance * Swift.abs(numeric)
                let excess = Swift.abs(automatic - numeric) - allowed
                outcome.elementsChecked += 1
                if excess > worstExcess {
                    worstExcess = excess
                    outcome.input = inputIndex
                    outcome.element = element
                    outcome.analytic = automatic
                    outcome.numeric = numeric
                }
            }
        }
        outcome.passed = worstExcess <= 0
        return outcome
    }

    /// Fixed weights in [0.5, 1.5) with alternating signs, the same for every run.
    private static func projection(shape: [Int]) -> Tensor {
        var data = TestData(seed: 0xC0FFEE)
        let count = shape.reduce(1, *)
        let values = (0..<count).map { index in (index % 2 == 0 ? 1.0 : -1.0) * data.uniform(0.5, 1.5) }
        return try! Tensor(values, shape: shape)
    }
}
