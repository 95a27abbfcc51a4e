import Testing

@testable import Torch

/// A block with a parameter, a buffer, a non-persistent buffer, an optional child and a dictionary of heads.
private final class Block: Module {
    let conv = Conv2d(2, 2, kernelSize: 1, bias: false)
    var shortcut: Linear? = nil
    let scale = Tensor.ones([2]).requiresGrad(true)
    @Buffer var counter: Tensor = Tensor.zeros([1])
    @Buffer(persistent: false) var cache: Tensor = Tensor.zeros([3])
    @Buffer var absent: Tensor? = nil
    var heads: [String: Linear] = ["b": Linear(2, 1), "a": Linear(2, 1, bias: false)]
    let width = 7  // plain values are ignored
    let widths = [1, 2, 3]

    init(withShortcut: Bool) {
        shortcut = withShortcut ? Linear(2, 2) : nil
        super.init()
    }
}

private final class Network: Module {
    let stem = Sequential(Conv2d(1, 2, kernelSize: 3), ReLU())
    let stages: [Block] = [Block(withShortcut: false), Block(withShortcut: true)]
    var head: Linear? = Linear(2, 3)
    var missingHead: Linear? = nil
    weak var parentReference: Network?  // a cycle through a weak reference must not recurse forever

    override init() {
        super.init()
        parentReference = self
    }
}

@Suite struct ModuleTraversalTests {
    @Test func nestedNamesFollowPyTorchConventions() {
        let network = Network()
        let names = network.namedParameters().map(\.0)
        // As in PyTorch, a module's own parameters come before its children's.
        #expect(names == [
            "stem.0.weight", "stem.0.bias",
            "stages.0.scale", "stages.0.conv.weight", "stages.0.heads.a.weight", "stages.0.heads.b.weight",
            "stages.0.heads.b.bias",
            "stages.1.scale", "stages.1.conv.weight", "stages.1.shortcut.weight", "stages.1.shortcut.bias",
            "stages.1.heads.a.weight", "stages.1.heads.b.weight", "stages.1.heads.b.bias",
            "head.weight", "head.bias",
        ])
        #expect(network.namedBuffers().map(\.0) == [
            "stages.0.counter", "stages.0.cache", "stages.1.counter", "stages.1.cache",
        ])
        // The state dict holds parameters and persistent buffers only.
        let keys = Set(network.stateDict().keys)
        #expect(keys == Set(names + ["stages.0.counter", "stages.1.counter"]))
        #expect(network.namedChildren().map(\.0) == ["stem", "stages.0", "stages.1", "head"])
        #expect(network.namedModules().map(\.0) == [
            "", "stem", "stem.0", "stem.1", "stages.0", "stages.0.conv", "stages.0.heads.a", "stages.0.heads.b",
            "stages.1", "stages.1.conv", "stages.1.shortcut", "stages.1.heads.a", "stages.1.heads.b", "head",
        ])
    }

    @Test func stateTensorsAreTheModulesOwn() {
        let layer = Linear(2, 2)
        let stored = layer.stateDict()["weight"]
        #expect(stored?.isSameTensor(as: layer.weight) == true)
    }

    @Test func batchNormUsesPyTorchNames() {
        let norm = BatchNorm2d(3)
        #expect(norm.namedStateTensors().map(\.0) == [
            "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
        ])
        #expect(norm.namedParameters().map(\.0) == ["weight", "bias"])
        let bare = BatchNorm1d(3, affine: false, trackRunningStats: false)
        #expect(bare.stateDict().isEmpty)
    }

    @Test func attentionUsesPyTorchNames() {
        let attention = MultiheadAttention(embedDim: 4, heads: 2)
        #expect(attention.namedParameters().map(\.0) == [
            "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias",
        ])
        #expect(attention.inProjWeight.shape == [12, 4])
    }

    @Test func sharedParametersAreListedOnceButSavedUnderEveryName() {
        let shared = Linear(2, 2)
        let model = Sequential(shared, ReLU(), shared)
        #expect(model.namedParameters().map(\.0) == ["0.weight", "0.bias"])
        #expect(model.parameterCount == 6)
        #expect(Set(model.stateDict().keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }

    @Test func countsParameters() {
        #expect(Linear(3, 4).parameterCount == 16)
        #expect(Linear(3, 4, bias: false).parameterCount == 12)
        // 8·3·3·3 + 8, 8 + 8, 16·4·3·3 (groups 2, no bias), 16, 16·10 + 10
        let net = Sequential(
            Conv2d(3, 8, kernelSize: 3), BatchNorm2d(8), Conv2d(8, 16, kernelSize: 3, groups: 2, bias: false),
            PReLU(16), Flatten(), Linear(16, 10))
        #expect(net.parameterCount == 224 + 16 + 576 + 16 + 170)
        #expect(net.trainableParameterCount == net.parameterCount)
        #expect(net.buffers().count == 3)
    }

    @Test func trainAndEvalReachEveryModule() {
        let network = Network()
        #expect(network.modules.allSatisfy { $0.isTraining })
        network.eval()
        #expect(network.modules.allSatisfy { !$0.isTraining })
        network.stages[1].train()
        #expect(network.stages[1].modules.allSatisfy { $0.isTraining })
        #expect(!network.isTraining && !network.stages[0].isTraining)
    }

    @Test func freezeStopsGradients() throws {
        let first = Linear(3, 4)
        let second = Linear(4, 2)
        let model = Sequential(first, ReLU(), second)
        first.freeze()
        #expect(model.trainableParameterCount == 10)
        let x = Tensor.randn([5, 3])
        model(x).sum().backward()
        #expect(first.weight.grad == nil && first.bias?.grad == nil)
        #expect(second.weight.grad != nil && second.bias?.grad != nil)

        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
        first.unfreeze()
        model(x).sum().backward()
        #expect(first.weight.grad?.shape == [4, 3])
    }
}

private final class Student: Module {
    let backbone = Linear(4, 2)
    @NotOwned var teacher: Module

    init(teacher: Module) {
        self.teacher = teacher
        super.init()
    }
}

@Suite struct NotOwnedTests {
    @Test func notOwnedReferencesAreIgnored() {
        let teacher = Linear(4, 2)
        let student = Student(teacher: teacher)
        #expect(student.namedParameters().map(\.0) == ["backbone.weight", "backbone.bias"])
        student.freeze()
        #expect(teacher.weight.requiresGrad)
    }
}

private protocol Classifier: AnyObject {}
extension Linear: Classifier {}

private final class Ensemble: Module {
    let members: [any Classifier] = [Linear(2, 1), Linear(2, 1, bias: false)]
    let optionalLayers: [Linear?] = [nil, Linear(1, 1)]
    let grid: [[Tensor]] = [[Tensor.zeros([1])], [Tensor.zeros([2]), Tensor.zeros([3])]]
    let anything: [Any] = [Linear(1, 2), 5, "text"]
}

@Suite struct ContainerReflectionTests {
    @Test func existentialOptionalAndNestedContainersAreFollowed() {
        #expect(Ensemble().namedParameters().map(\.0) == [
            "grid.0.0", "grid.1.0", "grid.1.1",
            "members.0.weight", "members.0.bias", "members.1.weight", "optionalLayers.1.weight",
            "optionalLayers.1.bias", "anything.0.weight", "anything.0.bias",
        ])
    }
}
