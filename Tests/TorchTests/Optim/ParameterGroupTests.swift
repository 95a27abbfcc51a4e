import Testing
@testable import Torch

@Suite("Parameter groups")
struct ParameterGroupTests {
    /// A small face model's named parameters: conv and linear weights (rank > 1) and their biases, BatchNorm
    /// and PReLU weights (rank ≤ 1).
    static func namedParameters() -> [(name: String, tensor: Tensor)] {
        [
            ("conv.weight", makeParameter([Double](repeating: 1, count: 8), shape: [2, 1, 2, 2])),
            ("conv.bias", makeParameter([0.5, 0.5] as [Double])),
            ("bn.weight", makeParameter([1.0, 1.0] as [Double])),
            ("prelu.weight", makeParameter([0.25] as [Double])),
            ("head.weight", makeParameter([1.0, 2.0, 3.0, 4.0] as [Double], shape: [2, 2])),
        ]
    }

    @Test("each group steps with its own learning rate and weight decay")
    func groupsHaveOwnSettings() throws {
        let decayed = makeParameter([1.0, -2.0] as [Double])
        let exempt = makeParameter([1.0, -2.0] as [Double])
        let defaults = SGDRule.Hyperparameters(learningRate: 0.1, weightDecay: 0.5)
        let optimizer = try SGD(groups: [
            ParameterGroup([decayed], defaults),
            ParameterGroup([exempt], defaults.with { $0.weightDecay = 0; $0.learningRate = 1.0 }),
        ])
        setGradient(decayed, [1.0, 1.0] as [Double])
        setGradient(exempt, [1.0, 1.0] as [Double])
        optimizer.step()
        // Group 0: p −= 0.1·(g + 0.5·p) → [1 − 0.1·1.5, −2 − 0.1·0]; group 1: p −= 1.0·g.
        expectClose(decayed.array(of: Double.self), [1.0 - 0.1 * (1 + 0.5 * 1), -2.0 - 0.1 * (1 + 0.5 * -2)])
        expectClose(exempt.array(of: Double.self), [0.0, -3.0])
        #expect(optimizer.learningRates == [0.1, 1.0])
    }

    @Test("groups' settings can be changed between steps")
    func changingSettings() throws {
        let parameter = makeParameter([1.0] as [Double])
        let optimizer = try SGD([parameter], learningRate: 0.1)
        optimizer.groups[0].hyperparameters.momentum = 0.9
        optimizer.groups[0].learningRate = 0.5
        setGradient(parameter, [1.0] as [Double])
        optimizer.step()
        optimizer.step()  // buf = 0.9·1 + 1 = 1.9
        expectClose(parameter.array(of: Double.self), [1.0 - 0.5 - 0.5 * 1.9])
        #expect(optimizer.baseLearningRates == [0.1], "the base rate stays what the group was created with")
    }

    @Test("rank ≤ 1 parameters (biases, BatchNorm, PReLU) go to the no-decay group")
    func weightDecaySplitByRank() throws {
        let split = WeightDecaySplit(Self.namedParameters())
        #expect(split.decay.map(\.name) == ["conv.weight", "head.weight"])
        #expect(split.noDecay.map(\.name) == ["conv.bias", "bn.weight", "prelu.weight"])

        let defaults = SGDRule.Hyperparameters(learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4)
        let optimizer = try SGD(groups: split.groups(defaults))
        #expect(optimizer.groups.map(\.weightDecay) == [5e-4, 0])
        #expect(optimizer.groups.map(\.learningRate) == [0.1, 0.1])
        #expect(optimizer.groups[1].hyperparameters.momentum == 0.9)
        #expect(optimizer.groups[1].names == ["conv.bias", "bn.weight", "prelu.weight"])
        #expect(optimizer.parameters.count == 5)
    }

    @Test("a custom rule can exempt parameters by name")
    func weightDecaySplitByName() {
        let split = WeightDecaySplit(Self.namedParameters()) { name, _ in
            name.hasPrefix("bn.") || name.hasPrefix("prelu.")
        }
        #expect(split.decay.map(\.name) == ["conv.weight", "conv.bias", "head.weight"])
        #expect(split.noDecay.map(\.name) == ["bn.weight", "prelu.weight"])
    }

    @Test("a head with a 10× learning rate keeps its ratio under a schedule")
    func headWithLargerLearningRate() throws {
        let named = Self.namedParameters()
        let defaults = AdamHyperparameters(learningRate: 1e-3)
        let optimizer = try Adam(groups: [
            ParameterGroup(named.filter { !$0.name.hasPrefix("head.") }, defaults),
            ParameterGroup(named.filter { $0.name.hasPrefix("head.") }, defaults.with { $0.learningRate *= 10 }),
        ])
        #expect(optimizer.baseLearningRates == [1e-3, 1e-2])
        let schedule = try CosineAnnealingSchedule(period: 10)
        schedule.apply(to: optimizer, at: 5)
        expectClose(optimizer.learningRates, [1e-3 * 0.5, 1e-2 * 0.5], tolerance: 1e-15)
    }

    @Test("a parameter listed twice throws, also across groups and through copies")
    func duplicateParameters() throws {
        let parameter = makeParameter([1.0] as [Double])
        let copy = parameter
        #expect(throws: OptimizerError.duplicateParameter(name: "#1", group: 0, index: 1)) {
            try SGD([parameter, copy], learningRate: 0.1)
        }
        let optimizer = try SGD([parameter], learningRate: 0.1)
        #expect(throws: OptimizerError.duplicateParameter(name: "w", group: 1, index: 0)) {
            try optimizer.addGroup(ParameterGroup([(name: "w", tensor: copy)], optimizer.groups[0].hyperparameters))
        }
        #expect(optimizer.groups.count == 1)
        try optimizer.addGroup(ParameterGroup([makeParameter([2.0] as [Double])],
                                              SGDRule.Hyperparameters(learningRate: 0.01)))
        #expect(optimizer.learningRates == [0.1, 0.01])
    }

    @Test("an optimizer can be held as `any Optimizer`")
    func existential() throws {
        let parameter = makeParameter([1.0] as [Double])
        let optimizers: [any Optimizer] = [
            try SGD([parameter], learningRate: 0.1), try Adam([parameter]), try AdamW([parameter]),
            try RMSprop([parameter]),
        ]
        #expect(optimizers.map(\.name) == ["SGD", "Adam", "AdamW", "RMSprop"])
        for optimizer in optimizers {
            optimizer.learningRates = [0.5]
            #expect(optimizer.learningRates == [0.5])
            #expect(optimizer.baseLearningRates != [0.5])
        }
    }
}
