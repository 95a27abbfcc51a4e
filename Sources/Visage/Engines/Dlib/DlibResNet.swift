import Foundation
import Torch

/// dlib's face-recognition ResNet (`dlib_face_recognition_resnet_model_v1.dat`) as a Torch module.
///
/// It maps `[N, 3, 150, 150]` RGB chips normalized the Visage way (pixel/127.5 − 1), cut as dlib's
/// `get_face_chip(img, shape, 150, 0.25)` does, to `[N, 128]` descriptors (not L2-normalized; dlib compares
/// them by Euclidean distance, same person under 0.6). It first converts its input to dlib's convention,
/// (pixel − mean)/256 with the means stored in the file.
///
/// The module is built from the layers the file lists (``DlibNetwork``), not from a fixed architecture: each
/// `con_` becomes a ``Conv2d`` (with the `affine_` after it folded into its weights), pools, `relu_` and the
/// final `fc_` follow the file, and residual connections come from its tag, skip and `add_prev_` layers. dlib
/// stores no tag IDs, so those are read with dlib's residual idioms: a tag opens a block; a tag directly
/// followed by another marker is a tag then a skip back to the tag opened before it (the block input, as in
/// dlib's `residual_down`, whose shortcut then runs through the pooling after the skip); `add_prev_` adds the
/// latest tag's output, zero-padding the smaller tensor as dlib does (channels, and rows and columns at the
/// bottom and right), and closes the block.
///
/// The convolution weights are stored channels-last (faster on CPU, whatever the input's layout).
public final class DlibResNet: Module {
    /// One step of the forward pass, in file order.
    enum Step {
        case convolution(Int)
        case scaleShift(Int)
        case relu
        case maxPool(DlibPooling)
        case averagePool(DlibPooling)
        case fullyConnected(Int)
        case tag(Int)
        case skip(to: Int)
        case addTagged(Int)
    }

    /// Input side length in pixels (150).
    public let inputSize: Int
    /// Descriptor length (128).
    public let embeddingSize: Int
    /// dlib's mean red, green and blue pixel values, subtracted before dividing by 256.
    public let mean: (red: Float, green: Float, blue: Float)
    /// The convolutions in file order, each with the affine layer after it folded in.
    public let convolutions: [Conv2d]
    /// Affine layers that no convolution directly precedes (none in dlib's face ResNet).
    public let scaleShifts: [DlibScaleShift]
    /// The fully connected layers in file order (dlib's `[in, out]` weights transposed to `Linear`'s `[out, in]`).
    public let fullyConnected: [Linear]
    let steps: [Step]
    let tagCount: Int
    /// `[1, 3, 1, 1]`: Visage's normalized value x maps to dlib's as `x · 127.5/256 + shift`.
    @Buffer(persistent: false) var inputShift = Tensor.zeros([1, 3, 1, 1])

    /// The network stored in dlib's file `url` (its DNN format, a metric loss over `input_rgb_image_sized`).
    public static func load(from url: URL) throws -> DlibResNet {
        try DlibResNet(network: DlibNetwork(contentsOf: url), file: url)
    }

    /// The module `network` describes; `file` names it in errors.
    public init(network: DlibNetwork, file: URL) throws {
        func fail(_ message: String) -> DataFileError { DataFileError(file, message) }
        guard case .metric = network.loss else {
            throw fail("holds a \(network.loss.name) network, not a metric-learning (face descriptor) one")
        }
        guard network.input.name == "input_rgb_image_sized", let size = network.input.size,
              size.rows == size.columns else {
            throw fail("has input layer \(network.input.name), not a square input_rgb_image_sized")
        }
        inputSize = size.rows
        mean = network.input.mean

        var convolutions = [Conv2d](), scaleShifts = [DlibScaleShift](), fullyConnected = [Linear]()
        var steps = [Step]()
        // Shapes (channels, rows, columns) as the layers run, to reject files whose layers do not fit together.
        var shape = (channels: 3, rows: size.rows, columns: size.columns)
        var tagShapes = [(channels: Int, rows: Int, columns: Int)]()
        var openTags = [Int]()
        var index = 0
        let layers = network.layers
        while index < layers.count {
            let layer = layers[index]
            let place = "layer \(index) (\(layer.summary))"
            switch layer {
            case .convolution(let c):
                guard c.inChannels == shape.channels else {
                    throw fail("has \(place) over \(c.inChannels) channels where \(shape.channels) arrive")
                }
                guard c.kernelRows <= shape.rows + 2 * c.paddingY, c.kernelColumns <= shape.columns + 2 * c.paddingX
                else { throw fail("has \(place) larger than its \(shape.rows)×\(shape.columns) input") }
                var weights = c.weights, bias = c.bias
                if index + 1 < layers.count, case .affine(let a) = layers[index + 1], !a.isDisabled,
                   a.mode == .convolutional, a.gamma.count == c.filters {
                    Self.fold(a, into: &weights, bias: &bias, filters: c.filters)
                    index += 1
                }
                let conv = Conv2d(c.inChannels, c.filters, kernelSize: IntPair(c.kernelRows, c.kernelColumns),
                                  stride: IntPair(c.strideY, c.strideX), padding: IntPair(c.paddingY, c.paddingX))
                try withoutGrad {
                    _ = conv.weight.copy_(try Tensor(weights, shape: conv.weight.shape))
                    _ = conv.bias!.copy_(try Tensor(bias, shape: [c.filters]))
                }
                steps.append(.convolution(convolutions.count))
                convolutions.append(conv)
                shape = (c.filters, Self.outputSize(shape.rows, c.kernelRows, c.strideY, c.paddingY),
                         Self.outputSize(shape.columns, c.kernelColumns, c.strideX, c.paddingX))
            case .affine(let a):
                if a.isDisabled { break }
                let expected = a.mode == .convolutional ? shape.channels : shape.channels * shape.rows * shape.columns
                guard a.gamma.count == expected else {
                    throw fail("has \(place) of \(a.gamma.count) values where \(expected) are needed")
                }
                steps.append(.scaleShift(scaleShifts.count))
                scaleShifts.append(try DlibScaleShift(a))
            case .batchNorm(let b):
                guard b.mode == .convolutional, b.gamma.count == shape.channels else {
                    throw fail("has \(place) that does not fit \(shape.channels) channels")
                }
                steps.append(.scaleShift(scaleShifts.count))
                scaleShifts.append(try DlibScaleShift(b.folded))
            case .relu:
                steps.append(.relu)
            case .maxPool(let p), .averagePool(let p):
                let isMax = if case .maxPool = layer { true } else { false }
                if p.isGlobal {
                    shape = (shape.channels, 1, 1)
                } else {
                    guard p.kernelRows <= shape.rows + 2 * p.paddingY,
                          p.kernelColumns <= shape.columns + 2 * p.paddingX,
                          p.paddingY * 2 <= p.kernelRows, p.paddingX * 2 <= p.kernelColumns else {
                        throw fail("has \(place) that does not fit a \(shape.rows)×\(shape.columns) input")
                    }
                    shape = (shape.channels, Self.outputSize(shape.rows, p.kernelRows, p.strideY, p.paddingY),
                             Self.outputSize(shape.columns, p.kernelColumns, p.strideX, p.paddingX))
                }
                steps.append(isMax ? .maxPool(p) : .averagePool(p))
            case .fullyConnected(let f):
                let flat = shape.channels * shape.rows * shape.columns
                guard f.inputs == flat else { throw fail("has \(place) over \(f.inputs) inputs where \(flat) arrive") }
                let linear = Linear(f.inputs, f.outputs, bias: f.bias != nil)
                try withoutGrad {
                    let stored = try Tensor(f.weights, shape: [f.inputs, f.outputs])
                    _ = linear.weight.copy_(stored.transposed(0, 1))
                    if let bias = f.bias { _ = linear.bias!.copy_(try Tensor(bias, shape: [f.outputs])) }
                }
                steps.append(.fullyConnected(fullyConnected.count))
                fullyConnected.append(linear)
                shape = (f.outputs, 1, 1)
            case .tagOrSkip:
                let skips = index + 1 < layers.count && layers[index + 1] == .tagOrSkip
                let tag = tagShapes.count
                steps.append(.tag(tag))
                tagShapes.append(shape)
                openTags.append(tag)
                if skips {
                    guard openTags.count >= 2 else {
                        throw fail("has a skip at layer \(index + 1) with no tag to return to")
                    }
                    let target = openTags[openTags.count - 2]
                    steps.append(.skip(to: target))
                    shape = tagShapes[target]
                    index += 1
                }
            case .addPrevious:
                guard let tag = openTags.last else { throw fail("has \(place) with no tagged layer before it") }
                steps.append(.addTagged(tag))
                let other = tagShapes[tag]
                shape = (max(shape.channels, other.channels), max(shape.rows, other.rows),
                         max(shape.columns, other.columns))
                openTags.removeAll()
            }
            index += 1
        }
        guard case .fullyConnected? = steps.last, shape.rows == 1, shape.columns == 1 else {
            throw fail("does not end in a fully connected layer giving a descriptor")
        }
        embeddingSize = shape.channels
        self.convolutions = convolutions
        self.scaleShifts = scaleShifts
        self.fullyConnected = fullyConnected
        self.steps = steps
        tagCount = tagShapes.count
        let shifts = [mean.red, mean.green, mean.blue].map { (127.5 - $0) / 256 }
        inputShift = try Tensor(shifts, shape: [1, 3, 1, 1])
        super.init()
        _ = eval()
        // Measured on batches of 64 (2 CPU cores): about 1.7 s channels-last against 2.5 s contiguous, whichever
        // layout the input has.
        convertToChannelsLast(self)
    }

    /// dlib's output size of a window sliding over `size` values.
    private static func outputSize(_ size: Int, _ kernel: Int, _ stride: Int, _ padding: Int) -> Int {
        (size + 2 * padding - kernel) / stride + 1
    }

    /// Folds `affine` (per output channel) into a convolution's weights and bias, in double precision.
    private static func fold(_ affine: DlibAffine, into weights: inout [Float], bias: inout [Float], filters: Int) {
        let perFilter = weights.count / filters
        for filter in 0..<filters {
            let scale = Double(affine.gamma[filter])
            for index in (filter * perFilter)..<((filter + 1) * perFilter) {
                weights[index] = Float(Double(weights[index]) * scale)
            }
            bias[filter] = Float(Double(bias[filter]) * scale + Double(affine.beta[filter]))
        }
    }

    /// `[N, 3, S, S]` Visage-normalized RGB chips → `[N, embeddingSize]` descriptors.
    public override func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank == 4 && input.shape[1] == 3 && input.shape[2] == inputSize
                        && input.shape[3] == inputSize,
                     "DlibResNet: expected [N, 3, \(inputSize), \(inputSize)] chips, got \(input.shape)")
        var x = input * (127.5 / 256) + inputShift
        var tagged = [Tensor?](repeating: nil, count: tagCount)
        for step in steps {
            switch step {
            case .convolution(let index): x = convolutions[index](x)
            case .scaleShift(let index): x = scaleShifts[index](x)
            case .relu: x = Functional.relu(x)
            case .maxPool(let p):
                x = p.isGlobal ? Functional.adaptiveMaxPool2d(x, outputSize: [1, 1])
                    : Functional.maxPool2d(x, kernelSize: [p.kernelRows, p.kernelColumns],
                                           stride: [p.strideY, p.strideX], padding: [p.paddingY, p.paddingX])
            case .averagePool(let p):
                x = p.isGlobal ? x.mean([2, 3], keepDim: true)
                    : Functional.avgPool2d(x, kernelSize: [p.kernelRows, p.kernelColumns],
                                           stride: [p.strideY, p.strideX], padding: [p.paddingY, p.paddingX],
                                           countIncludePad: false)
            case .fullyConnected(let index): x = fullyConnected[index](x.reshaped([x.shape[0], -1]))
            case .tag(let slot): tagged[slot] = x
            case .skip(let slot): x = tagged[slot]!
            case .addTagged(let slot): x = Self.paddedSum(x, tagged[slot]!)
            }
        }
        return x
    }

    /// `a + b`, the smaller zero-padded to the larger in channels, rows (bottom) and columns (right), as dlib adds.
    static func paddedSum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let sa = a.shape, sb = b.shape
        if sa == sb { return a + b }
        let target = zip(sa, sb).map { max($0, $1) }
        func grown(_ t: Tensor) -> Tensor {
            let s = t.shape
            if s == target { return t }
            return Functional.pad(t, [0, target[3] - s[3], 0, target[2] - s[2], 0, target[1] - s[1]])
        }
        return grown(a) + grown(b)
    }
}
