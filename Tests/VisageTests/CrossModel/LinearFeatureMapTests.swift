import Foundation
import Testing
import Torch
@testable import Visage

@Suite("Closed-form linear feature map")
struct LinearFeatureMapTests {
    static func matrix(_ rows: [[Float]]) throws -> FeatureMatrix {
        try FeatureMatrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 })
    }

    static func apply(_ map: LinearFeatureMap, _ rows: [[Float]]) throws -> [Float] {
        try FeatureTransformer(network: .linear(map), sourceModel: "s", targetModel: "t")
            .transform(try matrix(rows)).values
    }

    /// Rows (1, 0) → (1, 0) and (0, 1) → (0, 1): centred, both sides are ±(½, −½), so XcᵀXc = YcᵀXc = u·uᵀ with
    /// u = (1, −1)/√2 (eigenvalue 1). With λ = 1, W = (u·uᵀ + I)⁻¹·u·uᵀ = ½·u·uᵀ = [[¼, −¼], [−¼, ¼]], and
    /// b = μy − μx·W = (½, ½): ridge halves every deviation from the mean, f(1, 0) = (¾, ¼).
    @Test("a map solved by hand")
    func workedByHand() throws {
        let map = try LinearFeatureMap.fit(source: try Self.matrix([[1, 0], [0, 1]]),
                                           target: try Self.matrix([[1, 0], [0, 1]]), ridge: 1)
        #expect(map.map.weight.array(of: Float.self) == [0.25, -0.25, -0.25, 0.25])
        #expect(map.map.bias!.array(of: Float.self) == [0.5, 0.5])
        // Inputs are normalized first: (3, 0) is (1, 0).
        #expect(try Self.apply(map, [[3, 0], [0, 2]]) == [0.75, 0.25, 0.25, 0.75])
    }

    /// numpy in float64, as scripts/experiments/crossmodel-linear-probe.py solves it:
    /// `x, y = normalized(X), normalized(Y); W = solve(xcᵀxc + I, xcᵀyc); b = ȳ − x̄·W`.
    @Test("agrees with a float64 least-squares reference")
    func float64Reference() throws {
        let source = try Self.matrix([[3, 0, 0], [0, 2, 0], [1, 1, 0], [0, 0, 5], [2, 0, 2]])
        let target = try Self.matrix([[1, 0], [0, 1], [1, 1], [1, -1], [0, 2]])
        let map = try LinearFeatureMap.fit(source: source, target: target, ridge: 1)
        let weight: [Double] = [0.13540847077192275, -0.17392577442622476, -0.09108306195160569,
                                0.1634524832988883, 0.3900530182669824, -0.2099469817330176]
        let bias: [Double] = [0.5079413954860538, 0.25958611234329976]
        for (actual, expected) in zip(map.map.weight.array(of: Float.self), weight) {
            #expect(abs(Double(actual) - expected) < 1e-6)
        }
        for (actual, expected) in zip(map.map.bias!.array(of: Float.self), bias) {
            #expect(abs(Double(actual) - expected) < 1e-6)
        }
        let mapped = try Self.apply(map, [[1, 2, 3], [2, 4, 6]])
        for (actual, expected) in zip(mapped, [0.3781346778394368, 0.34343066094968294,
                                               0.3781346778394368, 0.34343066094968294]) {
            #expect(abs(Double(actual) - expected) < 1e-6)
        }
    }

    @Test("the same pairs give the same map, and the file round-trips with its stamps")
    func deterministicAndSaved() throws {
        let folder = try CrossModelFixtures.pairsFolder(count: 6, sourceDimension: 16, targetDimension: 8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = try CrossModelFixtures.pairs(in: folder, images: "missing")
        let first = try FeatureTransformer.linear(fittedOn: pairs, ridge: 0.5)
        let second = try FeatureTransformer.linear(fittedOn: pairs, ridge: 0.5)
        #expect(first.module.stateDict().mapValues { $0.array(of: Float.self) }
            == second.module.stateDict().mapValues { $0.array(of: Float.self) })
        let url = folder.appendingPathComponent("linear.safetensors")
        try first.save(to: url)
        let loaded = try FeatureTransformer.load(from: url)
        #expect(loaded.architecture == "linear" && loaded.sourceModel == "source" && loaded.targetModel == "target")
        #expect(try loaded.transform(pairs.source) == first.transform(pairs.source))
    }

    @Test("bad inputs are refused: a ridge weight that is not positive, mismatched rows, NaN features")
    func refusals() throws {
        let two = try Self.matrix([[1, 0], [0, 1]])
        for ridge in [0, -1, Double.nan] {
            #expect(throws: CrossModelError.self) { try LinearFeatureMap.fit(source: two, target: two, ridge: ridge) }
        }
        #expect(throws: CrossModelError.self) {
            try LinearFeatureMap.fit(source: two, target: try Self.matrix([[1, 0]]))
        }
        let error = #expect(throws: CrossModelError.self) {
            try LinearFeatureMap.fit(source: try Self.matrix([[1, .nan], [0, 1]]), target: two)
        }
        #expect(error?.description.contains("NaN") == true)
    }
}
