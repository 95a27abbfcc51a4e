import Testing
import Torch

@Suite("Runtime: libtorch generator state")
struct RandomStateTests {
    @Test func restoringTheStateRepeatsTheDraws() throws {
        Runtime.seed(11)
        _ = Tensor.randn([5])
        let state = Runtime.randomState
        #expect(state.dtype == .uint8)
        #expect(state.rank == 1)
        let first = Tensor.randn([16]).array(of: Float.self)
        let mask = Functional.dropout(Tensor.ones([64]), p: 0.5, training: true).array(of: Float.self)
        try Runtime.setRandomState(state)
        #expect(Tensor.randn([16]).array(of: Float.self) == first)
        #expect(Functional.dropout(Tensor.ones([64]), p: 0.5, training: true).array(of: Float.self) == mask)
    }

    @Test func theStateIsACopy() throws {
        Runtime.seed(3)
        let state = Runtime.randomState
        let before = state.array(of: UInt8.self)
        _ = Tensor.randn([100])
        #expect(state.array(of: UInt8.self) == before)
        #expect(Runtime.randomState.array(of: UInt8.self) != before)
    }

    @Test func aMalformedStateIsRefusedAndLeavesTheGeneratorAlone() throws {
        Runtime.seed(5)
        let state = Runtime.randomState
        #expect(throws: TorchError.self) { try Runtime.setRandomState(Tensor.zeros([7], dtype: .uint8)) }
        #expect(throws: TorchError.self) { try Runtime.setRandomState(Tensor.zeros([state.count])) }
        #expect(Runtime.randomState.array(of: UInt8.self) == state.array(of: UInt8.self))
    }
}
