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

    @Test("The shim's quint8 quantization gives libtorch's codes (ties, both clamps, layouts)")
    func quantizationMatchesLibtorch() throws {
        // Scale 1/4: every eighth is a tie of the grid, rounded half to even; the ends clamp at 0 and 255.
        let ties = Tensor(stride(from: -40.0, through: 60.0, by: 0.125).map(Float.init) + [-1e9, 1e9, 0.0])
        let random = Tensor.randn([2, 5, 3, 4]) * 3
        let cases: [(Tensor, Double, Int)] = [
            (ties, 0.25, 100), (random, 0.02, 128), (random.contiguous(.channelsLast), 0.05, 0),
            (random.transposed(1, 3), 0.04, 255),  // not dense: libtorch's own operator
        ]
        for (x, scale, zeroPoint) in cases {
            let ours = x.quantized(scale: scale, zeroPoint: zeroPoint)
            let theirs = Torch.call("aten::quantize_per_tensor", x, scale, zeroPoint, QuantizedElement.quint8).tensor()
            #expect(Self.codes(ours) == Self.codes(theirs), "scale \(scale), zero point \(zeroPoint)")
            #expect(ours.shape == x.shape && ours.isContiguous(.channelsLast) == theirs.isContiguous(.channelsLast))
        }
    }

    @Test("Quantized max pooling gives libtorch's codes for any channel count, ceil mode and padding")
    func quantizedMaxPool() throws {
        // (channels, height, width, kernel, stride, padding, ceil mode): 16 channels is the case the shim's kernel
        // exists for; odd sizes with ceil mode end in a window hanging over the edge.
        let cases: [(Int, Int, Int, Int, Int, Int, Bool)] = [
            (16, 16, 16, 2, 2, 0, true), (3, 7, 8, 2, 2, 0, true), (33, 9, 10, 3, 2, 1, false),
            (33, 9, 10, 3, 2, 1, true), (64, 5, 6, 2, 1, 0, false),
        ]
        for (channels, height, width, kernel, stride, padding, ceilMode) in cases {
            let x = (Tensor.randn([2, channels, height, width]) + 0.5).contiguous(.channelsLast)
                .quantized(scale: 0.03, zeroPoint: 7)
            for input in [x, x.contiguous()] {  // channels-last: the shim's loop; NCHW: libtorch's
                let ours = Functional.maxPool2d(input, kernelSize: [kernel, kernel], stride: [stride, stride],
                                                padding: [padding, padding], ceilMode: ceilMode)
                let theirs = Torch.call("aten::max_pool2d", input, [kernel, kernel], [stride, stride],
                                        [padding, padding], [1, 1], ceilMode).tensor()
                #expect(ours.shape == theirs.shape && Self.codes(ours) == Self.codes(theirs),
                        "\(channels) channels, \(height)×\(width), kernel \(kernel), stride \(stride)")
            }
        }
    }

    private static func codes(_ q: Tensor) -> [Int64] {
        Torch.call("aten::int_repr", q).tensor().contiguous().array(of: Int64.self)
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
