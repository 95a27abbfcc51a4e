import Foundation
import Testing

@testable import Torch

@Suite struct StateDictTests {
    private func convNet() -> Sequential {
        Sequential(Conv2d(1, 2, kernelSize: 3), BatchNorm2d(2), PReLU(2), Flatten(), Linear(8, 3))
    }

    @Test func roundTripThroughSafeTensorsRestoresIdenticalValues() throws {
        try withTemporaryFolder { folder in
            let source = convNet()
            _ = source(Tensor.randn([4, 1, 4, 4]))  // training step: BatchNorm's running statistics move
            let url = folder.appendingPathComponent("net.safetensors")
            try source.save(to: url, metadata: ["epoch": "3"])

            let restored = convNet()
            let report = try restored.load(from: url)
            #expect(report.metadata == ["epoch": "3"])
            #expect(report.missingKeys.isEmpty && report.unexpectedKeys.isEmpty)
            let expected = source.stateDict()
            let actual = restored.stateDict()
            #expect(Set(actual.keys) == Set(expected.keys))
            for (key, tensor) in expected {
                let loaded = try #require(actual[key])
                #expect(loaded.dtype == tensor.dtype, "\(key)")
                #expect(loaded.shape == tensor.shape, "\(key)")
                #expect(loaded.array(of: Double.self) == tensor.array(of: Double.self), "\(key)")
            }
            #expect(actual["1.num_batches_tracked"]?.array(of: Int64.self) == [1])
            source.eval()
            restored.eval()
            let x = Tensor.randn([2, 1, 4, 4])
            #expect(restored(x).array(of: Float.self) == source(x).array(of: Float.self))
        }
    }

    @Test func loadingCopiesInPlaceSoHeldReferencesStayValid() throws {
        let layer = Linear(2, 2)
        let heldByOptimizer = layer.parameters()
        let values = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        try layer.loadStateDict(["weight": values, "bias": Tensor([5, 6] as [Float])])
        #expect(heldByOptimizer[0].isSameTensor(as: layer.weight))
        #expect(heldByOptimizer[0].array(of: Float.self) == [1, 2, 3, 4])
        #expect(heldByOptimizer[1].array(of: Float.self) == [5, 6])
        #expect(layer.weight.requiresGrad)
        // The source is copied, not shared.
        withoutGrad { _ = values.fill_(0) }
        #expect(layer.weight.array(of: Float.self) == [1, 2, 3, 4])
    }

    @Test func strictLoadingReportsEveryProblemAtOnce() throws {
        let model = Sequential(Linear(3, 4), Linear(4, 2))
        let before = model.stateDict().mapValues { $0.array(of: Float.self) }
        let source: [String: Tensor] = [
            "0.weight": Tensor.zeros([4, 2]),  // mis-shaped
            "0.bias": Tensor.zeros([4]),
            "1.weight": Tensor.zeros([2, 4]),
            // "1.bias" missing
            "2.weight": Tensor.zeros([1]),  // unexpected
            "extra": Tensor.zeros([1]),  // unexpected
        ]
        let error = try #require(throws: StateDictError.self) { try model.loadStateDict(source) }
        #expect(error.missingKeys == ["1.bias"])
        #expect(error.unexpectedKeys == ["2.weight", "extra"])
        #expect(error.shapeMismatches == [.init(key: "0.weight", expected: [4, 3], found: [4, 2])])
        #expect(error.description.contains("missing keys: 1.bias"))
        #expect(error.description.contains("unexpected keys: 2.weight, extra"))
        #expect(error.description.contains("shape mismatch for 0.weight"))
        // Nothing was copied.
        #expect(model.stateDict().mapValues { $0.array(of: Float.self) } == before)
    }

    @Test func nonStrictLoadingSkipsKeysButNotShapeMismatches() throws {
        let model = Sequential(Linear(3, 4), Linear(4, 2))
        let report = try model.loadStateDict(
            ["0.weight": Tensor.ones([4, 3]), "other": Tensor.zeros([1])], strict: false)
        #expect(report.missingKeys == ["0.bias", "1.weight", "1.bias"])
        #expect(report.unexpectedKeys == ["other"])
        #expect(model.stateDict()["0.weight"]?.array(of: Float.self) == Array(repeating: 1, count: 12))

        let error = try #require(throws: StateDictError.self) {
            try model.loadStateDict(["1.bias": Tensor.zeros([3])], strict: false)
        }
        #expect(error.shapeMismatches.map(\.key) == ["1.bias"])
        #expect(error.missingKeys.isEmpty)
    }

    @Test func loadingAFileThatDoesNotFitNamesTheFile() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("small.safetensors")
            try Linear(2, 2).save(to: url)
            let error = try #require(throws: StateDictError.self) { try Linear(3, 2).load(from: url) }
            #expect(error.origin == url.path)
            #expect(error.description.contains(url.path))
            #expect(error.description.contains("shape mismatch for weight"))
        }
    }

    @Test func valuesAreConvertedToTheDestinationDType() throws {
        let layer = Linear(1, 1)
        try layer.loadStateDict([
            "weight": Tensor([2.5] as [Double], shape: [1, 1]), "bias": Tensor([-1] as [Double]),
        ])
        #expect(layer.weight.dtype == .float32)
        #expect(try layer(Tensor([2] as [Float], shape: [1, 1])).array(of: Float.self) == [4])
    }
}
