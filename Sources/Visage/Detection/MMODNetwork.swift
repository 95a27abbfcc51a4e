import Torch

/// The convolutional network of dlib's MMOD detector as a Torch module: convolutions, each optionally followed
/// by a per-channel affine map (dlib's `bn_con` at inference, folded into the convolution here) and a ReLU.
///
/// Input: `[N, 3, H, W]` tiled-pyramid images in dlib's convention ((pixel − channel mean)/256, RGB); output:
/// `[N, windows, H′, W′]`, one score map per detector window. Kept channels-first: channels-last weights and
/// input measured no faster here (23.8 against 23.6 ms per 250×250 photo, one thread).
final class MMODNetwork: Module {
    /// One convolution of the network with what follows it.
    struct Layer {
        /// `[out, in, kH, kW]` weights, row-major.
        var weight: [Float]
        var shape: [Int]
        /// `[out]`.
        var bias: [Float]
        var stride: (y: Int, x: Int)
        var padding: (y: Int, x: Int)
        /// Per-output-channel scale and shift applied after the convolution (a batch norm at inference), or nil.
        var affine: (scale: [Float], shift: [Float])?
        /// Whether a ReLU follows.
        var relu: Bool
    }

    /// Convolution weights with any affine map folded in, input side first.
    let weights: [Tensor]
    /// Convolution biases with any affine map folded in.
    let biases: [Tensor]
    private let strides: [[Int]]
    private let paddings: [[Int]]
    private let kernels: [(height: Int, width: Int)]
    private let relus: [Bool]

    /// The network of `layers`, input side first.
    init(layers: [Layer]) throws {
        var weights = [Tensor](), biases = [Tensor]()
        for layer in layers {
            var weight = layer.weight, bias = layer.bias
            if let (scale, shift) = layer.affine {
                let perOutput = weight.count / max(layer.shape[0], 1)
                for output in 0..<layer.shape[0] {
                    for index in (output * perOutput)..<((output + 1) * perOutput) { weight[index] *= scale[output] }
                    bias[output] = bias[output] * scale[output] + shift[output]
                }
            }
            weights.append(try Tensor(weight, shape: layer.shape))
            biases.append(try Tensor(bias, shape: [layer.shape[0]]))
        }
        self.weights = weights
        self.biases = biases
        strides = layers.map { [$0.stride.y, $0.stride.x] }
        paddings = layers.map { [$0.padding.y, $0.padding.x] }
        kernels = layers.map { ($0.shape[2], $0.shape[3]) }
        relus = layers.map(\.relu)
        super.init()
        eval()
    }

    override func forward(_ input: Tensor) -> Tensor {
        var x = input
        for index in weights.indices {
            x = Functional.conv2d(x, weight: weights[index], bias: biases[index], stride: strides[index],
                                  padding: paddings[index])
            if relus[index] { x = Functional.relu(x) }
        }
        return x
    }

    /// The input-tensor point an output cell looks at (dlib's `output_tensor_to_input_tensor`: through each
    /// convolution from the output side, p · stride − padding + ⌊kernel/2⌋).
    func inputPoint(outputX: Double, outputY: Double) -> (x: Double, y: Double) {
        var (x, y) = (outputX, outputY)
        for index in weights.indices.reversed() {
            x = x * Double(strides[index][1]) - Double(paddings[index][1]) + Double(kernels[index].width / 2)
            y = y * Double(strides[index][0]) - Double(paddings[index][0]) + Double(kernels[index].height / 2)
        }
        return (x, y)
    }
}
