import Testing
import Torch

/// Conversions between the element types Visage uses.
@Suite struct DTypeConversionTests {
    @Test func floatToIntegerTruncatesTowardZero() {
        let values = Tensor([1.7, -1.7, 2.5] as [Double])
        #expect(values.to(.int64).array(of: Int64.self) == [1, -1, 2])
        #expect(values.to(.int32).dtype == .int32)
        #expect(values.to(.int32).array(of: Int32.self) == [1, -1, 2])
    }

    @Test func boolConversions() {
        #expect(Tensor([0, 0.5, -2] as [Float]).to(.bool).array(of: Bool.self) == [false, true, true])
        #expect(Tensor([true, false]).to(.float32).array(of: Float.self) == [1, 0])
    }

    @Test func uint8RoundTrip() {
        let pixels = Tensor([0, 127, 255] as [UInt8])
        #expect(pixels.to(.float32).array(of: Float.self) == [0, 127, 255])
        #expect((pixels.to(.float32) / 255).to(.float64).doubles[2] == 1)
        #expect(Tensor([3, 200.9] as [Double]).to(.uint8).array(of: UInt8.self) == [3, 200])
    }

    @Test func float32RoundsFloat64() {
        let tenth = Tensor([0.1] as [Double])
        #expect(tenth.to(.float32).dtype == .float32)
        #expect(tenth.to(.float32).to(.float64).item != 0.1)
        #expect(tenth.to(.float32).array(of: Float.self) == [0.1])
    }

    @Test func itemKeepsIntegerPrecision() {
        let large = Tensor(scalar: Int64(1 << 53) + 1)
        #expect(large.item(Int64.self) == Int64(1 << 53) + 1)
        #expect(Tensor(scalar: Float(2.5)).item(Float.self) == 2.5)
        #expect(Tensor([true]).item(Bool.self))
    }

    @Test func channelsLastKeepsValues() {
        let x = Tensor.arange(0, 24).reshaped([1, 2, 3, 4])
        let nhwc = x.contiguous(.channelsLast)
        #expect(nhwc.isContiguous(.channelsLast))
        #expect(nhwc.array(of: Float.self) == x.array(of: Float.self))
        #expect(nhwc[0, 1, 2, 3].item == 23)
    }
}
