import Testing
@testable import Torch

/// The tensor-memory peak of a call, counted by libtorch's allocator instead of the resident set.
@Suite("Allocation peak")
struct AllocationPeakTests {
    /// Four million bytes: a 1000×1000 float tensor.
    static let block = 4_000_000

    @Test("a freed tensor counts once; two alive at once count twice")
    func peakNotSum() throws {
        let sequential = try Runtime.peakAllocatedBytes {
            for _ in 0..<3 { _ = Tensor.zeros([1000, 1000]) }
        }
        #expect(sequential >= Self.block && sequential < Self.block + 100_000)
        let together = try Runtime.peakAllocatedBytes {
            let a = Tensor.zeros([1000, 1000])
            let b = a + 1
            _ = (a, b)
        }
        #expect(together >= 2 * Self.block && together < 2 * Self.block + 100_000)
    }

    @Test("a repeated call reports the same peak although malloc kept the first call's memory")
    func repeatedCall() throws {
        let input = Tensor.randn([8, 64, 32, 32])
        let first = try Runtime.peakAllocatedBytes { _ = Functional.relu(input * 2) + 1 }
        let second = try Runtime.peakAllocatedBytes { _ = Functional.relu(input * 2) + 1 }
        // Each step holds its input and output: two activations of 8×64×32×32 floats.
        #expect(first >= 2 * input.count * 4)
        #expect(second == first)
        #expect(try Runtime.peakAllocatedBytes {} == 0)
    }

    @Test func rethrowsTheBodysError() {
        struct Stop: Error {}
        #expect(throws: Stop.self) { try Runtime.peakAllocatedBytes { throw Stop() } }
    }
}
