/// One computational or structural layer of a dlib network, as its `.dat` file describes it.
///
/// ``DlibNetwork/layers`` lists them from the input to the output. Parameter tensors keep dlib's layouts, which
/// each case documents.
public enum DlibLayer: Equatable, Sendable {
    /// `con_`: a 2-D convolution (cross-correlation, zero padding, with bias).
    case convolution(DlibConvolution)
    /// `fc_` / `fc_no_bias`: a fully connected layer over the flattened input.
    case fullyConnected(DlibFullyConnected)
    /// `affine_`: a fixed per-channel (or per-element) scale and shift, as dlib deploys batch normalization.
    case affine(DlibAffine)
    /// `bn_con` / `bn_fc`: batch normalization with its running statistics.
    case batchNorm(DlibBatchNorm)
    /// `max_pool_`.
    case maxPool(DlibPooling)
    /// `avg_pool_` (`avg_pool_everything` when the window is 0×0).
    case averagePool(DlibPooling)
    /// `relu_`.
    case relu
    /// `add_prev_`: the sum of this layer's input and a tagged layer's output, the smaller zero-padded (channels,
    /// and rows and columns at the bottom and right) to the larger.
    case addPrevious
    /// A `tag` or `skip` wrapper. dlib writes neither which of the two it is nor its ID (both are C++ template
    /// parameters), so a file shows only that one of them stands here; the network's known shape decides.
    case tagOrSkip

    /// The number of values in the layer's parameter tensor, as dlib counts them (`get_layer_params`, plus the
    /// affine layer's scale and shift).
    public var parameterCount: Int {
        switch self {
        case .convolution(let layer): layer.weights.count + layer.bias.count
        case .fullyConnected(let layer): layer.weights.count + (layer.bias?.count ?? 0)
        case .affine(let layer): layer.gamma.count + layer.beta.count
        case .batchNorm(let layer): layer.gamma.count + layer.beta.count
        case .maxPool, .averagePool, .relu, .addPrevious, .tagOrSkip: 0
        }
    }

    /// A short description (`con 32 7×7/2 pad 0`), for messages and listings.
    public var summary: String {
        switch self {
        case .convolution(let c):
            "con \(c.filters) \(c.kernelRows)×\(c.kernelColumns)/\(c.strideY) pad \(c.paddingY) (in \(c.inChannels))"
        case .fullyConnected(let f): "fc \(f.inputs)→\(f.outputs)\(f.bias == nil ? " no bias" : "")"
        case .affine(let a): "affine \(a.gamma.count) (\(a.mode))"
        case .batchNorm(let b): "bn \(b.gamma.count) (\(b.mode)) eps \(b.epsilon)"
        case .maxPool(let p): "max_pool \(p.summary)"
        case .averagePool(let p): "avg_pool \(p.summary)"
        case .relu: "relu"
        case .addPrevious: "add_prev"
        case .tagOrSkip: "tag/skip"
        }
    }
}

/// Whether a normalization layer acts per channel (after convolutions) or per element (after fc layers).
public enum DlibLayerMode: Int, Equatable, Sendable {
    /// dlib's `CONV_MODE` (0 in files): one scale and shift per channel.
    case convolutional = 0
    /// dlib's `FC_MODE` (1 in files): one scale and shift per element of the sample.
    case fullyConnected = 1
}

/// The parameters of dlib's `con_` layer.
public struct DlibConvolution: Equatable, Sendable {
    /// Output channels (dlib's `num_filters`).
    public var filters: Int
    /// Input channels.
    public var inChannels: Int
    /// Kernel height.
    public var kernelRows: Int
    /// Kernel width.
    public var kernelColumns: Int
    /// Vertical step.
    public var strideY: Int
    /// Horizontal step.
    public var strideX: Int
    /// Zero rows added above and below.
    public var paddingY: Int
    /// Zero columns added left and right.
    public var paddingX: Int
    /// `[filters, inChannels, kernelRows, kernelColumns]`, row-major: PyTorch's `Conv2d.weight` layout. dlib stores
    /// them first in its parameter tensor, the biases after.
    public var weights: [Float]
    /// `[filters]`.
    public var bias: [Float]
}

/// The parameters of dlib's `fc_` layer.
public struct DlibFullyConnected: Equatable, Sendable {
    /// Output features.
    public var outputs: Int
    /// Input features (the flattened channels × rows × columns of the input).
    public var inputs: Int
    /// `[inputs, outputs]`, row-major (dlib computes `input · weights`), the transpose of PyTorch's `Linear.weight`.
    public var weights: [Float]
    /// `[outputs]`, or nil for `fc_no_bias` (or a layer whose bias was disabled).
    public var bias: [Float]?
}

/// The parameters of dlib's `affine_` layer: `output = input · gamma + beta`.
public struct DlibAffine: Equatable, Sendable {
    /// Per channel or per element.
    public var mode: DlibLayerMode
    /// Scales: one per channel in convolutional mode, else one per element of a sample (channels × rows × columns).
    public var gamma: [Float]
    /// Shifts, shaped as `gamma`.
    public var beta: [Float]
    /// Whether dlib's `disable()` turned the layer into the identity (its parameters are then empty).
    public var isDisabled: Bool
}

/// The parameters of dlib's `bn_` layer (`bn_con`, `bn_fc`), as deployed: normalization by running statistics.
public struct DlibBatchNorm: Equatable, Sendable {
    /// Per channel or per element.
    public var mode: DlibLayerMode
    /// Learned scales.
    public var gamma: [Float]
    /// Learned shifts.
    public var beta: [Float]
    /// Running means of the inputs.
    public var runningMean: [Float]
    /// Running variances of the inputs.
    public var runningVariance: [Float]
    /// Added to the variance before its square root.
    public var epsilon: Double

    /// The equivalent scale and shift (what dlib's `affine_` is built from a `bn_`):
    /// `scale = gamma / √(variance + eps)`, `shift = beta − scale · mean`.
    public var folded: DlibAffine {
        var scale = [Float](), shift = [Float]()
        for index in gamma.indices {
            let s = Double(gamma[index]) / (Double(runningVariance[index]) + epsilon).squareRoot()
            scale.append(Float(s))
            shift.append(Float(Double(beta[index]) - s * Double(runningMean[index])))
        }
        return DlibAffine(mode: mode, gamma: scale, beta: shift, isDisabled: false)
    }
}

/// The window of dlib's `max_pool_` and `avg_pool_` layers.
public struct DlibPooling: Equatable, Sendable {
    /// Window height; 0 with `kernelColumns` 0 pools the whole input (`avg_pool_everything`, `max_pool_everything`).
    public var kernelRows: Int
    /// Window width; 0 for the whole input.
    public var kernelColumns: Int
    /// Vertical step.
    public var strideY: Int
    /// Horizontal step.
    public var strideX: Int
    /// Rows added above and below (ignored by the pooling, as dlib does).
    public var paddingY: Int
    /// Columns added left and right.
    public var paddingX: Int

    /// Whether the window covers the whole input.
    public var isGlobal: Bool { kernelRows == 0 && kernelColumns == 0 }

    var summary: String {
        isGlobal ? "everything" : "\(kernelRows)×\(kernelColumns)/\(strideY) pad \(paddingY)"
    }
}
