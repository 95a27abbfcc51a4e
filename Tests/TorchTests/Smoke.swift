import Testing
@testable import Torch
@Test func smoke() throws {
    let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    #expect(a.shape == [2, 2])
    #expect(Tensor.zeros([3]).array(of: Float.self) == [0, 0, 0])
    #expect(Tensor.arange(0, 3, step: 1).array(of: Float.self) == [0, 1, 2])
    let r = Torch.call("aten::add.Tensor", a, a, kw("alpha", 2)).tensor()
    #expect(r.array(of: Float.self) == [3, 6, 9, 12])
    #expect(throws: TorchError.self) { try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
    let error = #expect(throws: TorchError.self) {
        try withTorchErrors { Torch.call("aten::mm", a, Tensor.zeros([3, 1])).tensor() }
    }
    print(error!.message)
}
@Test func channelsLast() {
    let x = Tensor.randn([2, 3, 4, 5]).contiguous(.channelsLast)
    #expect(x.isContiguous(.channelsLast))
    #expect(!x.isContiguous())
    #expect(x.strides == [60, 1, 15, 3])
    let y = (x * 2 + 1).sum().item
    #expect(y.isFinite)
}
