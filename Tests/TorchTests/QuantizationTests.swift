import Testing
@testable import Torch

/// Quantized tensors, packed weights passed as custom-class objects, the quantized engine and bfloat16.
@Suite("Quantization", .serialized)
struct QuantizationTests {
    @Test("Per-tensor quantization rounds to the scale's grid around the zero point, and dequantizes back")
    func perTensor() throws {
        let x = Tensor([-1.0, -0.26, 0, 0.3, 2.6] as [Float])
        let q = x.quantized(scale: 0.1, zeroPoint: 10)
        #expect(q.isQuantized && !x.isQuantized)
        // -1.0 → code 0; -0.26 → 7 (-0.3); 0.3 → 13; 2.6 → 36.
        #expect(q.dequantized().array(of: Float.self).map { ($0 * 10).rounded() } == [-10, -3, 0, 3, 26])
        let clipped = Tensor([30.0] as [Float]).quantized(scale: 0.1, zeroPoint: 0).dequantized().item
        #expect(abs(clipped - 25.5) < 1e-5)  // code 255 at most
    }

    @Test("Packed weights cross the C boundary as objects: a quantized linear layer on a worked example")
    func packedLinear() throws {
        try QuantizedEngine.select("onednn")
        #expect(QuantizedEngine.current == "onednn")
        // y = W x + b with W = [[1, -2], [0.5, 4]], b = [0.25, -1], x = [2, 1]: y = [0.25, 4]
        let weight = try Tensor([1, -2, 0.5, 4] as [Float], shape: [2, 2])
        let qWeight = weight.quantized(scales: Tensor([2.0 / 127, 4.0 / 127] as [Double]),
                                       zeroPoints: Tensor([0, 0] as [Int64]), axis: 0, as: .qint8)
        let packed = try #require(try Torch.tryCall("quantized::linear_prepack",
                                                    [qWeight, Tensor([0.25, -1] as [Float])]).object())
        #expect(packed.typeName.hasSuffix("LinearPackedParamsBase"))
        let x = try Tensor([2, 1] as [Float], shape: [1, 2]).quantized(scale: 2.0 / 255, zeroPoint: 0)
        let y = try Torch.tryCall("quantized::linear", [x, packed, 8.0 / 255, 64]).tensor()  // codes cover [-2, 6]
        let values = y.dequantized().array(of: Float.self)
        #expect(abs(values[0] - 0.25) < 0.05 && abs(values[1] - 4) < 0.05)
        // An object where a tensor is expected is refused by the schema, not misread.
        #expect(throws: TorchError.self) { _ = try Torch.tryCall("aten::relu", [packed]) }
    }

    @Test("An unknown quantized engine is refused, naming the ones this libtorch offers")
    func unknownEngine() {
        #expect { try QuantizedEngine.select("tpu") } throws: { error in
            "\(error)".contains("no quantized engine named 'tpu'") && "\(error)".contains("onednn")
        }
    }

    @Test("bfloat16 keeps float32's range with 8 significant bits")
    func bfloat16() {
        let x = Tensor([1.0, 3.0e38, 1.00390625, 1.01] as [Float]).to(.bfloat16)
        #expect(x.dtype == .bfloat16 && x.dtype.byteSize == 2 && x.dtype.isFloatingPoint)
        let back = x.to(.float32).array(of: Float.self)
        #expect(back[0] == 1 && back[1] > 2.9e38 && back[3] == 1.0078125)
        #expect(SafeTensors.name(of: .bfloat16) == "BF16")
    }
}
