import Testing
@testable import Torch

/// Three steps of every optimizer on a 5-element float32 parameter, compared exactly with PyTorch 1.13.
///
/// The expected values were printed by Debian's python3-torch 1.13 with this script (each row is the parameter
/// after one step, written as the shortest float32 literals):
///
/// ```python
/// import torch, numpy as np
/// from torch.optim import SGD, Adam, AdamW, RMSprop
/// G = [[0.5, -1.0, 0.25, 2.0, -0.125], [-0.25, 0.75, 1.5, -0.5, 0.0], [1.0, 0.5, -2.0, 0.125, 0.3]]
/// def run(make):
///     p = torch.tensor([1.0, -2.0, 0.5, 3.0, -0.75], requires_grad=True)
///     opt = make([p])
///     for g in G:
///         p.grad = torch.tensor(g); opt.step()
///         print("    [" + ", ".join(str(np.float32(v)) for v in p.tolist()) + "],")
/// configs = {
///  "sgd": lambda ps: SGD(ps, lr=0.1),
///  "sgd nesterov": lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
///  "sgd dampening": lambda ps: SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
///  "sgd maximize": lambda ps: SGD(ps, lr=0.1, momentum=0.5, maximize=True),
///  "adam": lambda ps: Adam(ps, lr=0.01, weight_decay=0.01),
///  "adam amsgrad": lambda ps: Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, amsgrad=True),
///  "adamw": lambda ps: AdamW(ps, lr=0.01, weight_decay=0.1),
///  "adamw amsgrad": lambda ps: AdamW(ps, lr=0.01, weight_decay=0.1, amsgrad=True),
///  "rmsprop": lambda ps: RMSprop(ps, lr=0.01),
///  "rmsprop centered": lambda ps: RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.9,
///                                         centered=True),
/// }
/// for k, f in configs.items():
///     print(k); run(f)
/// ```
@Suite("PyTorch 1.13 reference values")
struct PyTorchReferenceTests {
    static let initial: [Float] = [1.0, -2.0, 0.5, 3.0, -0.75]
    static let gradients: [[Float]] = [
        [0.5, -1.0, 0.25, 2.0, -0.125], [-0.25, 0.75, 1.5, -0.5, 0.0], [1.0, 0.5, -2.0, 0.125, 0.3],
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let make: @Sendable (Tensor) throws -> any Optimizer
        let expected: [[Float]]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "sgd", make: { try SGD([$0], learningRate: 0.1) }, expected: [
            [0.95, -1.9, 0.475, 2.8, -0.7375],
            [0.97499996, -1.975, 0.325, 2.85, -0.7375],
            [0.87499994, -2.025, 0.525, 2.8374999, -0.76750004],
        ]),
        Case(name: "sgd nesterov",
             make: { try SGD([$0], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) },
             expected: [
                [0.9031, -1.8062, 0.45155, 2.6143, -0.724825],
                [0.9075741, -1.8626482, 0.14503706, 2.539903, -0.7127154],
                [0.6981892, -1.9390382, 0.38430622, 2.4017224, -0.7581149],
             ]),
        Case(name: "sgd dampening",
             make: { try SGD([$0], learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) },
             expected: [
                [0.949, -1.898, 0.4745, 2.797, -0.73675],
                [0.9247459, -1.8719918, 0.31612295, 2.6567826, -0.7241619],
                [0.812085, -1.8918996, 0.35329908, 2.5169458, -0.7391809],
             ]),
        Case(name: "sgd maximize", make: { try SGD([$0], learningRate: 0.1, momentum: 0.5, maximize: true) },
             expected: [
                [1.05, -2.1, 0.525, 3.2, -0.7625],
                [1.05, -2.0749998, 0.6875, 3.25, -0.76875],
                [1.15, -2.0124998, 0.56875, 3.2875, -0.741875],
             ]),
        Case(name: "adam", make: { try Adam([$0], learningRate: 0.01, weightDecay: 0.01) }, expected: [
            [0.99, -1.99, 0.49, 2.99, -0.74],
            [0.9871091, -1.9888849, 0.48154423, 2.985152, -0.7328947],
            [0.9804415, -1.9903651, 0.48264867, 2.9809408, -0.7364474],
        ]),
        Case(name: "adam amsgrad",
             make: { try Adam([$0], learningRate: 0.01, betas: (0.8, 0.99), eps: 1e-6, amsgrad: true) },
             expected: [
                [0.99, -1.99, 0.49000004, 2.99, -0.74000007],
                [0.98788863, -1.9896855, 0.48123768, 2.9857986, -0.7337305],
                [0.98096883, -1.992116, 0.48304024, 2.9823391, -0.7385187],
             ]),
        Case(name: "adamw", make: { try AdamW([$0], learningRate: 0.01, weightDecay: 0.1) }, expected: [
            [0.989, -1.988, 0.48950002, 2.987, -0.73925],
            [0.9853477, -1.9851189, 0.48056927, 2.9793184, -0.7318102],
            [0.97778124, -1.984867, 0.4812267, 2.9723299, -0.73498553],
        ]),
        Case(name: "adamw amsgrad", make: { try AdamW([$0], learningRate: 0.01, weightDecay: 0.1, amsgrad: true) },
             expected: [
                [0.989, -1.988, 0.48950002, 2.987, -0.73925],
                [0.9853477, -1.9851189, 0.48056927, 2.9793184, -0.73181355],
                [0.97778124, -1.984867, 0.4812267, 2.9723299, -0.73498887],
             ]),
        Case(name: "rmsprop", make: { try RMSprop([$0], learningRate: 0.01) }, expected: [
            [0.90000004, -1.9, 0.40000004, 2.9, -0.6500001],
            [0.94490135, -1.9601929, 0.30134732, 2.9243686, -0.6500001],
            [0.85742736, -1.9975963, 0.38110042, 2.9182572, -0.7424439],
        ]),
        Case(name: "rmsprop centered",
             make: {
                 try RMSprop([$0], learningRate: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.01, momentum: 0.9,
                             centered: true)
             },
             expected: [
                [0.9666669, -1.9666668, 0.46666712, 2.9666667, -0.71666753],
                [0.95085174, -1.95574, 0.40320417, 2.9443514, -0.6847701],
                [0.9066699, -1.9581331, 0.37173754, 2.921608, -0.68582916],
             ]),
    ]

    @Test("matches PyTorch bit for bit", arguments: cases)
    func matchesPyTorch(_ reference: Case) throws {
        let parameter = makeParameter(Self.initial)
        let optimizer = try reference.make(parameter)
        for (step, gradient) in Self.gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            #expect(parameter.array(of: Float.self) == reference.expected[step], "step \(step + 1)")
        }
    }
}
