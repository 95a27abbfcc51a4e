import Testing
import Torch

/// libtorch failures inside `withTorchErrors` become thrown errors carrying libtorch's own message.
@Suite struct ErrorReportingTests {
    @Test func shapeMismatchThrowsWithLibtorchText() {
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors {
                Functional.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]), bias: nil)
            }
        }
        #expect(error?.message.contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)") == true)
    }

    @Test func laterOperationsRunOnPlaceholdersAndTheFirstErrorWins() {
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors {
                let bad = Functional.conv2d(Tensor.zeros([1, 3, 4, 4]), weight: Tensor.zeros([2, 2, 3, 3]), bias: nil)
                return Functional.relu(bad) + Tensor.ones([7])
            }
        }
        #expect(error?.message.contains("aten::conv2d") == true)
        #expect(error?.message.contains("expected input[1, 3, 4, 4] to have 2 channels") == true)
    }

    @Test func successfulScopeReturnsItsValue() throws {
        let sum = try withTorchErrors { (Tensor.ones([2]) + Tensor.ones([2])).sum().item }
        #expect(sum == 4)
    }
}
