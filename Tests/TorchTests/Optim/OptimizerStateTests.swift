import Testing
@testable import Torch

@Suite("Optimizer state")
struct OptimizerStateTests {
    struct Configuration: CustomTestStringConvertible, Sendable {
        let name: String
        /// Makes the optimizer over a weight and a bias, the bias in a second group.
        let make: @Sendable (_ weight: Tensor, _ bias: Tensor, _ learningRate: Double) throws -> any Optimizer
        var testDescription: String { name }
    }

    static let configurations: [Configuration] = [
        Configuration(name: "SGD Nesterov") { weight, bias, lr in
            let settings = SGDRule.Hyperparameters(learningRate: lr, momentum: 0.9, weightDecay: 1e-3, nesterov: true)
            return try SGD(groups: [ParameterGroup([weight], settings),
                                    ParameterGroup([bias], settings.with { $0.weightDecay = 0 })])
        },
        Configuration(name: "Adam AMSGrad") { weight, bias, lr in
            let settings = AdamHyperparameters(learningRate: lr, weightDecay: 1e-2, amsgrad: true)
            return try Adam(groups: [ParameterGroup([weight], settings),
                                     ParameterGroup([bias], settings.with { $0.learningRate *= 10 })])
        },
        Configuration(name: "AdamW") { weight, bias, lr in
            let settings = AdamHyperparameters(learningRate: lr, weightDecay: 0.05)
            return try AdamW(groups: WeightDecaySplit([("w", weight), ("b", bias)]).groups(settings))
        },
        Configuration(name: "RMSprop centered momentum") { weight, bias, lr in
            let settings = RMSpropRule.Hyperparameters(learningRate: lr, momentum: 0.5, centered: true)
            return try RMSprop(groups: [ParameterGroup([weight], settings), ParameterGroup([bias], settings)])
        },
    ]

    /// Deterministic gradients for step `step`: a pseudo-random pattern that changes sign and scale.
    static func gradients(step: Int) -> (weight: [Float], bias: [Float]) {
        let weight = (0..<6).map { Float((($0 + 1) * (step + 3) * 7919) % 97 - 48) / 16 }
        let bias = (0..<2).map { Float((($0 + 2) * (step + 5) * 104_729) % 89 - 44) / 32 }
        return (weight, bias)
    }

    static func run(_ optimizer: any Optimizer, _ weight: Tensor, _ bias: Tensor, steps: Range<Int>) {
        for step in steps {
            let (weightGradient, biasGradient) = gradients(step: step)
            setGradient(weight, weightGradient)
            setGradient(bias, biasGradient)
            optimizer.step()
            optimizer.zeroGrad()
        }
    }

    static let initialWeight: [Float] = [0.5, -1.25, 2.0, 0.75, -0.5, 1.0]
    static let initialBias: [Float] = [0.1, -0.2]

    @Test("a resumed optimizer takes bit-identical steps", arguments: configurations)
    func resumeIsBitIdentical(_ configuration: Configuration) throws {
        // Uninterrupted: 6 steps.
        let weight = makeParameter(Self.initialWeight, shape: [2, 3])
        let bias = makeParameter(Self.initialBias)
        let uninterrupted = try configuration.make(weight, bias, 0.05)
        Self.run(uninterrupted, weight, bias, steps: 0..<6)

        // Interrupted after 3 steps: parameters and optimizer state go through a checkpoint's representation
        // (tensors plus string metadata) into fresh tensors and a fresh optimizer built with another learning rate.
        let firstWeight = makeParameter(Self.initialWeight, shape: [2, 3])
        let firstBias = makeParameter(Self.initialBias)
        let first = try configuration.make(firstWeight, firstBias, 0.05)
        Self.run(first, firstWeight, firstBias, steps: 0..<3)
        let saved = first.stateDict()
        let checkpoint = try OptimizerState(tensors: saved.tensors, metadata: saved.metadata)

        let resumedWeight = makeParameter(firstWeight.array(of: Float.self), shape: [2, 3])
        let resumedBias = makeParameter(firstBias.array(of: Float.self))
        let resumed = try configuration.make(resumedWeight, resumedBias, 0.7)
        try resumed.loadStateDict(checkpoint)
        #expect(resumed.learningRates == first.learningRates, "group settings are restored")
        #expect(resumed.baseLearningRates == first.baseLearningRates)
        Self.run(resumed, resumedWeight, resumedBias, steps: 3..<6)

        #expect(resumedWeight.array(of: Float.self) == weight.array(of: Float.self))
        #expect(resumedBias.array(of: Float.self) == bias.array(of: Float.self))
        #expect(resumed.stateDict().scalars == uninterrupted.stateDict().scalars)
    }

    @Test("state dict keys and values follow PyTorch's names")
    func keys() throws {
        let weight = makeParameter([1.0, 2.0] as [Double])
        let idle = makeParameter([3.0] as [Double])
        let optimizer = try Adam(groups: [ParameterGroup([idle], AdamHyperparameters(learningRate: 0.5)),
                                          ParameterGroup([weight], AdamHyperparameters(amsgrad: true))])
        setGradient(weight, [1.0, 1.0] as [Double])
        optimizer.step()
        optimizer.step()
        let state = optimizer.stateDict()
        #expect(state.optimizer == "Adam")
        #expect(Set(state.tensors.keys) == ["state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"])
        #expect(state.scalars["state.1.step"] == 2)
        #expect(state.scalars["group.0.lr"] == 0.5)
        #expect(state.scalars["group.0.initial_lr"] == 0.5)
        #expect(state.scalars["group.1.amsgrad"] == 1)
        #expect(state.scalars["group.1.beta2"] == 0.999)
        #expect(state.scalars["group.1.parameter_count"] == 1)
        #expect(state.metadata["optimizer"] == "Adam")
        #expect(state.metadata["group.1.eps"] == "1e-08")
    }

    @Test("the state dict is a snapshot that later steps do not change")
    func snapshot() throws {
        let weight = makeParameter([1.0, 2.0] as [Double])
        let optimizer = try SGD([weight], learningRate: 0.1, momentum: 0.9)
        setGradient(weight, [1.0, 1.0] as [Double])
        optimizer.step()
        let saved = optimizer.stateDict()
        optimizer.step()
        #expect(saved.tensors["state.0.momentum_buffer"]!.array(of: Double.self) == [1.0, 1.0])
        #expect(optimizer.state(of: weight)!.momentumBuffer.array(of: Double.self) == [1.9, 1.9])
    }

    /// An Adam optimizer over a [2, 3] weight after one step, and its state dict.
    static func adamState() throws -> (Adam, OptimizerState) {
        let weight = makeParameter([Float](repeating: 1, count: 6), shape: [2, 3])
        let optimizer = try Adam([weight], learningRate: 0.01)
        setGradient(weight, [Float](repeating: 0.5, count: 6))
        optimizer.step()
        return (optimizer, optimizer.stateDict())
    }

    @Test("restoring into parameters of another shape throws naming the key and shapes")
    func shapeMismatch() throws {
        let (_, saved) = try Self.adamState()
        let other = makeParameter([Float](repeating: 1, count: 6), shape: [3, 2])
        let optimizer = try Adam([(name: "head.weight", tensor: other)], AdamHyperparameters())
        let error = #expect(throws: OptimizerError.self) { try optimizer.loadStateDict(saved) }
        #expect(error == .shapeMismatch(key: "state.0.exp_avg", parameter: "head.weight", expected: [3, 2],
                                        found: [2, 3]))
        #expect(error?.description.contains("state.0.exp_avg") == true)
        #expect(error?.description.contains("[2, 3]") == true)
        #expect(optimizer.state(of: other) == nil, "a failed load changes nothing")
    }

    /// One way a saved state can be wrong, and the error it must give.
    struct Corruption: CustomTestStringConvertible, Sendable {
        let name: String
        let apply: @Sendable (inout OptimizerState) -> Void
        let expected: OptimizerError
        var testDescription: String { name }
    }

    static let corruptions: [Corruption] = [
        Corruption(name: "missing buffer", apply: { $0.tensors["state.0.exp_avg_sq"] = nil },
                   expected: .missingKey("state.0.exp_avg_sq")),
        Corruption(name: "missing step", apply: { $0.scalars["state.0.step"] = nil },
                   expected: .missingKey("state.0.step")),
        Corruption(name: "missing setting", apply: { $0.scalars["group.0.beta1"] = nil },
                   expected: .missingKey("group.0.beta1")),
        Corruption(name: "unknown buffer", apply: { $0.tensors["state.0.velocity"] = Tensor.zeros([2, 3]) },
                   expected: .unexpectedKey("state.0.velocity")),
        Corruption(name: "parameter out of range",
                   apply: { $0.tensors["state.1.exp_avg"] = Tensor.zeros([2, 3]) },
                   expected: .unexpectedKey("state.1.exp_avg")),
        Corruption(name: "malformed key", apply: { $0.scalars["step"] = 1 },
                   expected: .unexpectedKey("step")),
        Corruption(name: "unknown setting", apply: { $0.scalars["group.0.nesterov"] = 1 },
                   expected: .unexpectedKey("group.0.nesterov")),
        Corruption(name: "fractional step", apply: { $0.scalars["state.0.step"] = 1.5 },
                   expected: .invalidValue(key: "state.0.step", value: "1.5",
                                           requirement: "a non-negative integer")),
        Corruption(name: "flag not 0 or 1", apply: { $0.scalars["group.0.amsgrad"] = 2 },
                   expected: .invalidValue(key: "group.0.amsgrad", value: "2.0", requirement: "0 or 1")),
        Corruption(name: "AMSGrad without its buffer", apply: { $0.scalars["group.0.amsgrad"] = 1 },
                   expected: .missingKey("state.0.max_exp_avg_sq")),
        Corruption(name: "invalid setting", apply: { $0.scalars["group.0.beta1"] = 1 },
                   expected: .invalidHyperparameter(name: "beta1", value: 1, requirement: "in [0, 1)")),
        Corruption(name: "other optimizer", apply: { $0.optimizer = "AdamW" },
                   expected: .optimizerMismatch(expected: "Adam", found: "AdamW")),
        Corruption(name: "extra group", apply: { $0.scalars["group.1.lr"] = 0.1 },
                   expected: .groupCountMismatch(expected: 1, found: 2)),
        Corruption(name: "group size", apply: { $0.scalars["group.0.parameter_count"] = 2 },
                   expected: .groupSizeMismatch(group: 0, expected: 1, found: 2)),
    ]

    @Test("malformed state throws a clear error and leaves the optimizer unchanged", arguments: corruptions)
    func malformedState(_ corruption: Corruption) throws {
        let (optimizer, saved) = try Self.adamState()
        let weight = optimizer.parameters[0]
        let before = weight.array(of: Float.self)
        var corrupted = saved
        corruption.apply(&corrupted)
        optimizer.groups[0].learningRate = 0.02
        let error = #expect(throws: OptimizerError.self) { try optimizer.loadStateDict(corrupted) }
        #expect(error == corruption.expected, "\(error?.description ?? "no error")")
        // Unchanged: same settings, and the next step continues from the old state (step 2).
        #expect(optimizer.learningRates == [0.02])
        setGradient(weight, [Float](repeating: 0.5, count: 6))
        optimizer.step()
        #expect(optimizer.state(of: weight)?.step == 2)
        #expect(weight.array(of: Float.self) != before)
    }

    @Test("metadata strings that are not numbers throw naming the key")
    func badMetadata() throws {
        let (_, saved) = try Self.adamState()
        var metadata = saved.metadata
        metadata["group.0.lr"] = "fast"
        #expect(throws: OptimizerError.invalidValue(key: "group.0.lr", value: "fast", requirement: "a number")) {
            try OptimizerState(tensors: saved.tensors, metadata: metadata)
        }
        metadata["group.0.lr"] = "0.01"
        metadata["optimizer"] = nil
        #expect(throws: OptimizerError.missingKey("optimizer")) {
            try OptimizerState(tensors: saved.tensors, metadata: metadata)
        }
    }

    @Test("restored buffers are copies in the parameter's dtype")
    func restoredBuffersAreCopies() throws {
        let (_, saved) = try Self.adamState()
        var state = saved
        state.tensors["state.0.exp_avg"] = saved.tensors["state.0.exp_avg"]!.to(.float64)
        let weight = makeParameter([Float](repeating: 1, count: 6), shape: [2, 3])
        let optimizer = try Adam([weight])
        try optimizer.loadStateDict(state)
        let restored = try #require(optimizer.state(of: weight))
        #expect(restored.expAvg.dtype == .float32)
        #expect(restored.step == 1)
        #expect(!restored.expAvgSq.isSameTensor(as: saved.tensors["state.0.exp_avg_sq"]!))
        #expect(optimizer.learningRates == [0.01])
    }
}
