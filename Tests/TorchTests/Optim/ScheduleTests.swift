import Foundation
import Testing
@testable import Torch

/// Learning-rate schedules against their formulas and against PyTorch 1.13's schedulers.
///
/// The PyTorch lists were printed by Debian's python3-torch 1.13 with this script (the learning rate in use
/// during steps 0, 1, 2, …, base learning rate 0.1):
///
/// ```python
/// import torch, warnings
/// from torch.optim import SGD
/// from torch.optim.lr_scheduler import MultiStepLR, CosineAnnealingLR, PolynomialLR, LinearLR, SequentialLR
/// warnings.simplefilter("ignore")
/// def lrs(make, n):
///     opt = SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
///     s = make(opt); out = []
///     for _ in range(n):
///         out.append(opt.param_groups[0]["lr"]); opt.step(); s.step()
///     print(", ".join(repr(v) for v in out))
/// lrs(lambda o: MultiStepLR(o, milestones=[3, 6, 8], gamma=0.1), 10)
/// lrs(lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.001), 16)
/// lrs(lambda o: PolynomialLR(o, total_iters=8, power=2.0), 11)
/// lrs(lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.1, total_iters=3), CosineAnnealingLR(o, T_max=7)],
///                            milestones=[3]), 12)
/// lrs(lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.25, total_iters=2),
///                                MultiStepLR(o, milestones=[2, 4], gamma=0.5)], milestones=[2]), 9)
/// ```
///
/// PyTorch's schedulers update the rate recursively, so they agree with the closed forms here to rounding
/// (about 1e−16 relative), not bit for bit.
@Suite("Learning-rate schedules")
struct ScheduleTests {
    struct Reference: CustomTestStringConvertible, Sendable {
        let name: String
        let schedule: any LearningRateSchedule
        let pytorch: [Double]
        var testDescription: String { name }
    }

    static let references: [Reference] = [
        Reference(name: "MultiStepLR", schedule: MultiStepSchedule(milestones: [6, 3, 8], gamma: 0.1), pytorch: [
            0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002,
            0.0010000000000000002, 0.00010000000000000003, 0.00010000000000000003,
        ]),
        Reference(name: "CosineAnnealingLR",
                  schedule: try! CosineAnnealingSchedule(period: 10, minimumLearningRate: 0.001), pytorch: [
            0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505,
            0.03520365877844011, 0.02140463001152259, 0.010453658778440109, 0.0034227024433899004, 0.001,
            0.0034227024433899004, 0.01045365877844014, 0.02140463001152267, 0.035203658778440255,
            0.05050000000000022,
        ]),
        Reference(name: "PolynomialLR", schedule: try! PolynomialDecaySchedule(totalSteps: 8, power: 2), pytorch: [
            0.1, 0.0765625, 0.05625, 0.03906250000000001, 0.02500000000000001, 0.014062500000000006,
            0.006250000000000002, 0.0015625000000000005, 0.0, 0.0, 0.0,
        ]),
        Reference(name: "LinearLR then CosineAnnealingLR",
                  schedule: try! CosineAnnealingSchedule(period: 7).withLinearWarmup(steps: 3, startFactor: 0.1),
                  pytorch: [
            0.010000000000000002, 0.04, 0.07, 0.1, 0.09504844339512096, 0.08117449009293669, 0.061126046697815725,
            0.03887395330218429, 0.018825509907063328, 0.004951556604879048, 0.0, 0.004951556604879043,
        ]),
        Reference(name: "LinearLR then MultiStepLR",
                  schedule: try! MultiStepSchedule(milestones: [2, 4], gamma: 0.5).withLinearWarmup(
                      steps: 2, startFactor: 0.25),
                  pytorch: [0.025, 0.0625, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025]),
    ]

    @Test("agrees with PyTorch's scheduler", arguments: references)
    func matchesPyTorch(_ reference: Reference) {
        for (step, expected) in reference.pytorch.enumerated() {
            let value = reference.schedule.learningRate(at: step, base: 0.1)
            #expect(abs(value - expected) <= 1e-15, "step \(step): \(value) vs \(expected)")
        }
    }

    @Test("multistep: base · γ^(milestones passed)")
    func multiStepFormula() {
        let schedule = MultiStepSchedule(milestones: [30, 10, 20, 20], gamma: 0.5)
        #expect(schedule.milestones == [10, 20, 20, 30])
        let expected: [(Int, Double)] = [(0, 1), (9, 1), (10, 0.5), (19, 0.5), (20, 0.125), (29, 0.125), (30, 0.0625),
                                         (100, 0.0625)]
        for (step, factor) in expected {
            #expect(schedule.learningRate(at: step, base: 2.0) == 2.0 * factor, "step \(step)")
        }
    }

    @Test("cosine: min + (base − min)·(1 + cos(π·t/T))/2")
    func cosineFormula() throws {
        let schedule = try CosineAnnealingSchedule(period: 100, minimumLearningRate: 0.01)
        #expect(schedule.learningRate(at: 0, base: 0.5) == 0.5)
        #expect(abs(schedule.learningRate(at: 50, base: 0.5) - (0.01 + 0.49 * 0.5)) < 1e-15)
        #expect(abs(schedule.learningRate(at: 25, base: 0.5) - (0.01 + 0.49 * (1 + 0.5.squareRoot()) / 2)) < 1e-15)
        #expect(schedule.learningRate(at: 100, base: 0.5) == 0.01)
        #expect(schedule.learningRate(at: -5, base: 0.5) == 0.5, "steps before 0 count as 0")
    }

    @Test("polynomial: base · (1 − t/T)^p, then 0")
    func polynomialFormula() throws {
        let schedule = try PolynomialDecaySchedule(totalSteps: 10, power: 0.9)
        #expect(schedule.learningRate(at: 0, base: 0.1) == 0.1)
        #expect(abs(schedule.learningRate(at: 5, base: 0.1) - 0.1 * pow(0.5, 0.9)) < 1e-16)
        #expect(schedule.learningRate(at: 10, base: 0.1) == 0)
        #expect(schedule.learningRate(at: 15, base: 0.1) == 0)
        let linear = try PolynomialDecaySchedule(totalSteps: 4)
        #expect([0, 1, 2, 3, 4].map { linear.learningRate(at: $0, base: 1) } == [1, 0.75, 0.5, 0.25, 0])
    }

    @Test("warmup: base · (s + (1 − s)·t/W), then the following schedule from its start")
    func warmupFormula() throws {
        let schedule = try PolynomialDecaySchedule(totalSteps: 4).withLinearWarmup(steps: 4, startFactor: 0.2)
        let values = (0..<10).map { schedule.learningRate(at: $0, base: 1) }
        expectClose(values, [0.2, 0.4, 0.6, 0.8, 1.0, 0.75, 0.5, 0.25, 0, 0], tolerance: 1e-15)
        let warmupOnly = try LinearWarmupSchedule(steps: 2, startFactor: 0.5)
        #expect((0..<4).map { warmupOnly.learningRate(at: $0, base: 0.1) } == [0.05, 0.07500000000000001, 0.1, 0.1])
        let none = try MultiStepSchedule(milestones: [1]).withLinearWarmup(steps: 0)
        #expect(none.learningRate(at: 0, base: 1) == 1)
        #expect(none.learningRate(at: 1, base: 1) == 0.1)
    }

    @Test("applying a schedule sets each group's rate from its own base, for any step")
    func applyToOptimizer() throws {
        let optimizer = try SGD(groups: [
            ParameterGroup([makeParameter([1.0] as [Double])], SGDRule.Hyperparameters(learningRate: 0.1)),
            ParameterGroup([makeParameter([1.0] as [Double])], SGDRule.Hyperparameters(learningRate: 1.0)),
        ])
        let schedule = MultiStepSchedule(milestones: [2], gamma: 0.1)
        schedule.apply(to: optimizer, at: 5)
        expectClose(optimizer.learningRates, [0.010000000000000002, 0.1], tolerance: 0)
        schedule.apply(to: optimizer, at: 0)  // stateless: going back is as exact as going forward
        #expect(optimizer.learningRates == [0.1, 1.0])
        #expect(schedule.learningRates(for: optimizer, at: 2) == [0.1 * 0.1, 1.0 * 0.1])
    }

    @Test("invalid schedule settings throw")
    func invalidSettings() {
        #expect(throws: OptimizerError.self) { try CosineAnnealingSchedule(period: 0) }
        #expect(throws: OptimizerError.self) { try PolynomialDecaySchedule(totalSteps: -1) }
        #expect(throws: OptimizerError.self) { try LinearWarmupSchedule(steps: -1) }
        #expect(throws: OptimizerError.self) { try LinearWarmupSchedule(steps: 5, startFactor: 1.5) }
    }
}
