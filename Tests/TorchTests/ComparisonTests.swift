import Testing
import Torch

/// Elementwise comparisons and logic return boolean tensors.
@Suite struct ComparisonTests {
    let a = Tensor([1, 2, 3] as [Float])
    let b = Tensor([3, 2, 1] as [Float])

    @Test func tensorComparisons() {
        #expect((a .== b).array(of: Bool.self) == [false, true, false])
        #expect((a .!= b).array(of: Bool.self) == [true, false, true])
        #expect((a .< b).array(of: Bool.self) == [true, false, false])
        #expect((a .<= b).array(of: Bool.self) == [true, true, false])
        #expect((a .> b).array(of: Bool.self) == [false, false, true])
        #expect((a .>= b).array(of: Bool.self) == [false, true, true])
        #expect((a .< b).dtype == .bool)
    }

    @Test func scalarComparisonsBroadcast() {
        #expect((a .>= 2).array(of: Bool.self) == [false, true, true])
        #expect((a .== 3).array(of: Bool.self) == [false, false, true])
        #expect(a.lt(2).array(of: Bool.self) == [true, false, false])
        let column = a.reshaped([3, 1])
        #expect((column .< b).array(of: Bool.self) == [true, true, false, true, false, false, false, false, false])
    }

    @Test func logic() {
        let p = Tensor([true, true, false, false])
        let q = Tensor([true, false, true, false])
        #expect((p .& q).array(of: Bool.self) == [true, false, false, false])
        #expect((p .| q).array(of: Bool.self) == [true, true, true, false])
        #expect((p .^ q).array(of: Bool.self) == [false, true, true, false])
        #expect((.!p).array(of: Bool.self) == [false, false, true, true])
        #expect(Tensor([0, 2] as [Float]).logicalNot().array(of: Bool.self) == [true, false])
    }

    @Test func wholeTensorEquality() {
        #expect(a.isEqual(to: Tensor([1, 2, 3] as [Float])))
        #expect(!a.isEqual(to: b))
        #expect(a.allClose(to: a + 1e-7))
        #expect(!a.allClose(to: a + 1e-3))
        #expect(a.allClose(to: a + 1e-3, absoluteTolerance: 1e-2))
        #expect(a.isClose(to: Tensor([1, 2.5, 3] as [Float])).array(of: Bool.self) == [true, false, true])
    }
}
