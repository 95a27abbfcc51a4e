import Foundation
import Testing
@testable import Torch

@Suite("Tensor core: data in and out, dispatch, errors, runtime")
struct TensorCoreTests {
    @Test func buildsFromArraysAndReadsBack() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(a.shape == [2, 3])
        #expect(a.dtype == .float32)
        #expect(a.strides == [3, 1])
        #expect(a.array(of: Float.self) == [1, 2, 3, 4, 5, 6])
        #expect(a.array(of: Int64.self) == [1, 2, 3, 4, 5, 6])
        #expect(Tensor(scalar: 2.5).rank == 0)
        #expect(Tensor(scalar: 2.5).item == 2.5)
        #expect(Tensor([true, false]).dtype == .bool)
    }

    @Test(arguments: [[2, 2], [4, -1], [5]])
    func rejectsDataThatDoesNotMatchTheShape(shape: [Int]) {
        let error = #expect(throws: TorchError.self) { try Tensor([1, 2, 3] as [Float], shape: shape) }
        #expect(error?.message.isEmpty == false)
    }

    @Test func callsOperatorsWithKeywordsAndDefaults() throws {
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        #expect(Torch.call("aten::add.Tensor", a, a, kw("alpha", 2)).tensor().array(of: Float.self) == [3, 6, 9, 12])
        #expect(Torch.call("aten::sum.dim_IntList", a, [1]).tensor().array(of: Float.self) == [3, 7])
        #expect(Torch.call("aten::sum.dim_IntList", a, [1], kw("keepdim", true)).tensor().shape == [2, 1])
        let maxResult = Torch.call("aten::max.dim", a, 0)
        #expect(maxResult.tensor(0).array(of: Float.self) == [3, 4])
        #expect(maxResult.tensor(1).array(of: Int64.self) == [1, 1])
    }

    @Test func reportsLibtorchErrorsInsideAScope() {
        let a = Tensor.ones([2, 2])
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { (a.matmul(Tensor.zeros([3, 1])) + 1).sum().item }
        }
        #expect(error?.message.contains("mat1 and mat2 shapes cannot be multiplied (2x2 and 3x1)") == true)
    }

    @Test func reportsUnknownOperatorsAndBadArguments() {
        #expect(throws: TorchError.self) { try Torch.tryCall("aten::no_such_op", []) }
        let error = #expect(throws: TorchError.self) { try Torch.tryCall("aten::add.Tensor", [Tensor.ones([1]), "x"]) }
        #expect(error?.message.contains("argument 'other' expects Tensor, got str") == true)
        #expect(throws: TorchError.self) { try Torch.tryCall("aten::add.Tensor", [Tensor.ones([1])]) }
    }

    @Test func convertsToChannelsLast() {
        let x = Tensor.randn([2, 3, 4, 5]).contiguous(.channelsLast)
        #expect(x.isContiguous(.channelsLast))
        #expect(!x.isContiguous())
        #expect(x.strides == [60, 1, 15, 3])
        #expect(x.shape == [2, 3, 4, 5])
    }

    @Test func seedsMakeRandomNumbersRepeatable() {
        Runtime.seed(7)
        let first = Tensor.randn([5]).array(of: Float.self)
        Runtime.seed(7)
        #expect(Tensor.randn([5]).array(of: Float.self) == first)
    }

    @Test func threadsDefaultToTheAvailableCores() {
        _ = Tensor.zeros([1])
        #expect(Runtime.threads >= 1)
        let previous = Runtime.threads
        Runtime.threads = 1
        #expect(Runtime.threads == 1)
        Runtime.threads = previous
    }

    @Test("freed tensor memory is kept for reuse, unless VISAGE_MALLOC=system")
    func allocatorKeepsFreedMemory() {
        _ = Tensor.zeros([1])
        #expect(Runtime.keepsFreedMemory == (ProcessInfo.processInfo.environment["VISAGE_MALLOC"] != "system"))
    }

    @Test func fillsContiguousMemoryInPlace() throws {
        let t = Tensor.zeros([3])
        try t.withUnsafeMutableBytes { bytes in
            bytes.bindMemory(to: Float.self).update(repeating: 4)
        }
        #expect(t.array(of: Float.self) == [4, 4, 4])
        #expect(throws: TorchError.self) { try Tensor.zeros([2, 3]).transposed().withUnsafeMutableBytes { _ in } }
    }
}

@Suite("Autograd basics")
struct AutogradBasicsTests {
    @Test func backwardAccumulatesIntoLeaves() throws {
        let x = try Tensor([1, 2, 3] as [Double], shape: [3]).requiresGrad(true)
        let y = (x * x).sum()
        y.backward()
        #expect(x.grad?.array(of: Double.self) == [2, 4, 6])
        (x * 3).sum().backward()
        #expect(x.grad?.array(of: Double.self) == [5, 7, 9])
        x.grad = nil
        #expect(x.grad == nil)
    }

    @Test func gradientsWithCreateGraphAllowSecondOrder() throws {
        let x = try Tensor([2] as [Double], shape: [1]).requiresGrad(true)
        let y = x.pow(3).sum()
        let dy = gradients(of: [y], with: [x], createGraph: true)[0]  // 3x² = 12
        #expect(dy.array(of: Double.self) == [12])
        let d2y = gradients(of: [dy.sum()], with: [x])[0]  // 6x = 12
        #expect(d2y.array(of: Double.self) == [12])
    }

    @Test func noGradScopeStopsRecording() {
        let w = Tensor.ones([2]).requiresGrad(true)
        let y = withoutGrad { w * 2 }
        #expect(!y.requiresGrad)
        #expect(isGradEnabled)
        #expect((w * 2).requiresGrad)
    }

    @Test func unusedInputsGetZeroGradients() {
        let a = Tensor.ones([2]).requiresGrad(true)
        let b = Tensor.ones([3]).requiresGrad(true)
        let g = gradients(of: [(a * 2).sum()], with: [a, b], allowUnused: true)
        #expect(g[1].array(of: Float.self) == [0, 0, 0])
    }

    @Test func backwardOnANonScalarWithoutGradientThrowsInScope() {
        let a = Tensor.ones([2]).requiresGrad(true)
        #expect(throws: TorchError.self) { try withTorchErrors { (a * 2).backward() } }
    }
}
