import Foundation

extension MMODFaceDetector {
    /// The detector stored in dlib's `mmod_human_face_detector.dat` (or another dlib MMOD network of
    /// convolutions, batch norms or affine layers and ReLUs over an `input_rgb_image_pyramid`).
    ///
    /// - Throws: ``DataFileError`` naming `file` for an unreadable, truncated or foreign file, or a network this
    ///   detector cannot run (another loss or input layer, other layer kinds, box regression, mismatched shapes).
    public static func load(from file: URL) throws -> MMODFaceDetector {
        let parsed = try DlibNetwork(contentsOf: file)
        guard case .mmod(let options) = parsed.loss else {
            throw DataFileError(file, "holds a \(parsed.loss.name) network, not an MMOD detector (loss_mmod)")
        }
        guard parsed.input.name.hasPrefix("input_rgb_image_pyramid") else {
            throw DataFileError(file, "has input layer \(parsed.input.name), input_rgb_image_pyramid expected")
        }
        guard !options.usesBoundingBoxRegression else {
            throw DataFileError(file, "uses bounding-box regression, which this detector does not run")
        }
        guard !options.detectorWindows.isEmpty else { throw DataFileError(file, "has no detector windows") }

        var layers = [MMODNetwork.Layer]()
        var channels = 3
        for (index, layer) in parsed.layers.enumerated() {
            switch layer {
            case .convolution(let c):
                guard c.inChannels == channels else {
                    throw DataFileError(
                        file, "layer \(index) (\(layer.summary)) takes \(c.inChannels) channels, \(channels) arrive")
                }
                layers.append(MMODNetwork.Layer(
                    weight: c.weights, shape: [c.filters, c.inChannels, c.kernelRows, c.kernelColumns], bias: c.bias,
                    stride: (c.strideY, c.strideX), padding: (c.paddingY, c.paddingX), affine: nil, relu: false))
                channels = c.filters
            case .batchNorm(let norm) where norm.mode == .convolutional:
                try attach(scaleShift(norm), to: &layers, channels: channels, index: index, file: file)
            case .affine(let affine) where affine.mode == .convolutional:
                if !affine.isDisabled {
                    try attach((affine.gamma, affine.beta), to: &layers, channels: channels, index: index, file: file)
                }
            case .relu:
                guard let last = layers.indices.last, !layers[last].relu else {
                    throw DataFileError(file, "layer \(index) is a ReLU with no convolution before it")
                }
                layers[last].relu = true
            default:
                throw DataFileError(file, "layer \(index) (\(layer.summary)) is not one an MMOD detector here runs")
            }
        }
        guard channels == options.detectorWindows.count else {
            throw DataFileError(
                file, "outputs \(channels) channels for \(options.detectorWindows.count) detector windows")
        }
        let padding = parsed.input.pyramidPadding ?? (inner: 10, outer: 11)
        return MMODFaceDetector(
            network: try MMODNetwork(layers: layers),
            windows: options.detectorWindows.map {
                DetectorWindow(width: $0.width, height: $0.height, label: $0.label)
            },
            suppression: NonMaximumSuppression(overlapThreshold: options.overlapsNMS.iouThreshold,
                                               coveredThreshold: options.overlapsNMS.percentCoveredThreshold),
            channelMeans: parsed.input.mean, pyramidPadding: padding.inner, pyramidOuterPadding: padding.outer)
    }

    /// A batch norm as the scale and shift dlib's `affine_` is built from, in single precision as dlib computes
    /// them: scale = γ · 1/√(σ² + ε), shift = β − scale · μ.
    private static func scaleShift(_ norm: DlibBatchNorm) -> (scale: [Float], shift: [Float]) {
        let epsilon = Float(norm.epsilon)
        let scale = norm.gamma.indices.map { norm.gamma[$0] * (1 / (norm.runningVariance[$0] + epsilon).squareRoot()) }
        let shift = norm.beta.indices.map { norm.beta[$0] - scale[$0] * norm.runningMean[$0] }
        return (scale, shift)
    }

    private static func attach(_ affine: (scale: [Float], shift: [Float]), to layers: inout [MMODNetwork.Layer],
                               channels: Int, index: Int, file: URL) throws {
        guard let last = layers.indices.last, layers[last].affine == nil, !layers[last].relu else {
            throw DataFileError(file, "layer \(index) normalizes something other than a convolution's output")
        }
        guard affine.scale.count == channels, affine.shift.count == channels else {
            throw DataFileError(file, "layer \(index) has \(affine.scale.count) scales for \(channels) channels")
        }
        layers[last].affine = affine
    }
}
