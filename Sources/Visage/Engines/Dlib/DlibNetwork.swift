import Foundation

/// A dlib DNN (`dlib/dnn`) read from its `.dat` file: the loss, the input layer and the layers between them.
///
/// dlib serializes a network from the loss inward, each wrapper (`add_loss_layer`, `add_layer`,
/// `add_tag_layer`, `add_skip_layer`) writing its version and then the network it wraps; so the file opens with
/// the loss's details and a run of version numbers, one per layer from the output down, then the input layer,
/// and then, on the way back out, each `add_layer`'s details followed by its state (three bools and its cached
/// tensors, empty in saved models). Tags and skips write nothing but their version, so they appear as
/// ``DlibLayer/tagOrSkip``. Versions read: `add_layer` 2 (over the input 2 and 3), tags and skips 1; layers
/// `con_4`, `fc_2`/`fc_3`, `affine_`/`affine_2`, `bn_con2`/`bn_fc2`, `max_pool_2`, `avg_pool_2`, `relu_`,
/// `add_prev_`; `repeat` blocks are not supported.
public struct DlibNetwork: Equatable, Sendable {
    /// The loss layer.
    public var loss: DlibLossLayer
    /// The input layer.
    public var input: DlibInputLayer
    /// The layers from the input to the output (the loss excluded).
    public var layers: [DlibLayer]

    /// The number of learned values, as dlib counts them.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Reads the network stored in `file`, which must hold nothing else.
    public init(contentsOf file: URL) throws {
        var archive = try DlibArchive(contentsOf: file)
        try self.init(reading: &archive)
        guard archive.isAtEnd else { throw archive.error("has data after the network") }
    }

    /// Reads a network from `archive`, leaving it after the network.
    public init(reading archive: inout DlibArchive) throws {
        let lossVersion = try archive.readInt("an add_loss_layer version", in: 0...Int(Int32.max))
        guard lossVersion == 1 else {
            throw archive.error("is not a dlib network: it opens with version \(lossVersion), 1 expected")
        }
        loss = try Self.readLoss(&archive)

        // Wrapper versions, from the output down to the layer holding the input layer.
        var versions = [Int]()
        while true {
            let version = try archive.readInt("a layer version", in: 1...3)
            versions.append(version)
            var probe = archive
            if let name = try? probe.readString(), name.hasPrefix("input") { break }
        }
        input = try Self.readInput(&archive)

        var layers = [DlibLayer]()
        // The innermost wrapper holds the input layer and stores more state than the others.
        let innermost = versions.removeLast()
        var probe = archive
        let holdsLayer = innermost == 3 || (innermost == 2 && (try? probe.readString()).map(Self.isLayerName) == true)
        if holdsLayer {
            layers.append(try Self.readLayer(&archive))
            try Self.skipState(&archive, tensors: 3)
            if innermost == 3 { _ = try archive.readInt("a sample expansion factor", in: 0...Int(UInt32.max)) }
        } else {
            // add_tag_layer over the input: its cached output, gradient, a bool, then (version 2) a factor.
            _ = try archive.readTensor()
            _ = try archive.readTensor()
            _ = try archive.readBool()
            if innermost == 2 { _ = try archive.readInt("a sample expansion factor", in: 0...Int(UInt32.max)) }
            layers.append(.tagOrSkip)
        }
        for version in versions.reversed() {
            if version == 2 {
                layers.append(try Self.readLayer(&archive))
                try Self.skipState(&archive, tensors: 3)
            } else if version == 1 {
                layers.append(.tagOrSkip)
            } else {
                throw archive.error("has an add_layer version \(version) above the input layer")
            }
        }
        self.layers = layers
    }

    private static func isLayerName(_ name: String) -> Bool {
        !name.isEmpty && name.count < 64 && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// An add_layer's state after its details: three bools, then cached tensors (empty in saved models).
    private static func skipState(_ archive: inout DlibArchive, tensors: Int) throws {
        for _ in 0..<3 { _ = try archive.readBool() }
        for _ in 0..<tensors { _ = try archive.readTensor() }
    }

    // MARK: Loss and input

    private static func readLoss(_ archive: inout DlibArchive) throws -> DlibLossLayer {
        let start = archive.offset
        switch try archive.readString() {
        case "loss_metric_2":
            return .metric(margin: try archive.readDouble(), distanceThreshold: try archive.readDouble())
        case "loss_multiclass_log_":
            return .multiclassLog
        case "loss_mmod_":
            return .mmod(try readMMODOptions(&archive))
        case let other:
            throw DataFileError(archive.file, "has an unsupported loss layer '\(other.prefix(80))' (at byte \(start))")
        }
    }

    private static func readMMODOptions(_ archive: inout DlibArchive) throws -> DlibMMODOptions {
        let version = try archive.readInt("an mmod_options version", in: 1...4)
        var windows = [DlibMMODOptions.DetectorWindow]()
        if version == 1 {
            let width = try archive.readInt("a detector width", in: 1...Int(Int32.max))
            let height = try archive.readInt("a detector height", in: 1...Int(Int32.max))
            windows.append(.init(width: width, height: height, label: ""))
        } else {
            for _ in 0..<(try archive.readCount("a detector window count", minimumBytes: 4)) {
                let windowVersion = try archive.readInt("a detector window version", in: 1...2)
                let width = try archive.readInt("a detector width", in: 1...Int(Int32.max))
                let height = try archive.readInt("a detector height", in: 1...Int(Int32.max))
                let label = windowVersion == 2 ? try archive.readString() : ""
                windows.append(.init(width: width, height: height, label: label))
            }
        }
        let falseAlarm = try archive.readDouble()
        let missed = try archive.readDouble()
        let truthMatch = try archive.readDouble()
        let nms = DlibMMODOptions.OverlapTest(iouThreshold: try archive.readDouble(),
                                              percentCoveredThreshold: try archive.readDouble())
        let ignore = DlibMMODOptions.OverlapTest(iouThreshold: try archive.readDouble(),
                                                 percentCoveredThreshold: try archive.readDouble())
        // uint8 is written as a raw byte, not a packed integer.
        let pyramid = version >= 3 ? try archive.readBytes(1).first! != 0 : true
        let regression = version >= 4 ? try archive.readBool() : false
        let lambda = version >= 4 ? try archive.readDouble() : 100
        return DlibMMODOptions(
            detectorWindows: windows, lossPerFalseAlarm: falseAlarm, lossPerMissedTarget: missed,
            truthMatchIOUThreshold: truthMatch, overlapsNMS: nms, overlapsIgnore: ignore,
            assumesImagePyramid: pyramid, usesBoundingBoxRegression: regression, boundingBoxRegressionLambda: lambda)
    }

    private static func readInput(_ archive: inout DlibArchive) throws -> DlibInputLayer {
        let start = archive.offset
        let name = try archive.readString()
        switch name {
        case "input_rgb_image_sized", "input_rgb_image", "input_rgb_image_pyramid", "input_rgb_image_pyramid2":
            let mean = (red: try archive.readFloat(), green: try archive.readFloat(), blue: try archive.readFloat())
            var layer = DlibInputLayer(name: name, mean: mean, size: nil, pyramidPadding: nil)
            if name == "input_rgb_image_sized" {
                layer.size = (try archive.readInt("an input row count", in: 1...65536),
                              try archive.readInt("an input column count", in: 1...65536))
            } else if name == "input_rgb_image_pyramid2" {
                layer.pyramidPadding = (try archive.readInt("a pyramid padding", in: 0...65536),
                                        try archive.readInt("a pyramid outer padding", in: 0...65536))
            }
            return layer
        default:
            throw DataFileError(archive.file, "has an unsupported input layer '\(name.prefix(80))' (at byte \(start))")
        }
    }

    // MARK: Layers

    private static func readLayer(_ archive: inout DlibArchive) throws -> DlibLayer {
        let start = archive.offset
        let name = try archive.readString()
        switch name {
        case "con_4": return .convolution(try readConvolution(&archive))
        case "fc_2", "fc_3": return .fullyConnected(try readFullyConnected(&archive, hasUseBias: name == "fc_3"))
        case "affine_", "affine_2": return .affine(try readAffine(&archive, hasDisabled: name == "affine_2"))
        case "bn_con2": return .batchNorm(try readBatchNorm(&archive, mode: .convolutional))
        case "bn_fc2": return .batchNorm(try readBatchNorm(&archive, mode: .fullyConnected))
        case "max_pool_2": return .maxPool(try readPooling(&archive))
        case "avg_pool_2": return .averagePool(try readPooling(&archive))
        case "relu_": return .relu
        case "add_prev_": return .addPrevious
        default:
            throw DataFileError(archive.file, "has an unsupported layer '\(name.prefix(80))' (at byte \(start))")
        }
    }

    /// dlib's `alias_tensor`: a shape into the layer's parameter tensor.
    private static func readAlias(_ archive: inout DlibArchive) throws -> [Int] {
        let version = try archive.readInt("an alias_tensor version", in: 0...Int(Int32.max))
        guard version == 1 else { throw archive.error("has alias_tensor version \(version), 1 expected") }
        return try (0..<4).map { _ in try archive.readInt("an alias_tensor dimension", in: 0...Int(Int32.max)) }
    }

    private static func product(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    private static func readConvolution(_ archive: inout DlibArchive) throws -> DlibConvolution {
        let params = try archive.readTensor()
        let limit = 0...Int(Int32.max)
        let filters = try archive.readInt("a filter count", in: 1...Int(Int32.max))
        let rows = try archive.readInt("a kernel row count", in: 1...65536)
        let columns = try archive.readInt("a kernel column count", in: 1...65536)
        let strideY = try archive.readInt("a vertical stride", in: 1...65536)
        let strideX = try archive.readInt("a horizontal stride", in: 1...65536)
        let paddingY = try archive.readInt("a vertical padding", in: limit)
        let paddingX = try archive.readInt("a horizontal padding", in: limit)
        let filterShape = try readAlias(&archive)
        let biasShape = try readAlias(&archive)
        for _ in 0..<4 { _ = try archive.readDouble() }  // learning-rate and weight-decay multipliers
        let weightCount = product(filterShape), biasCount = product(biasShape)
        guard filterShape[0] == filters, filterShape[2] == rows, filterShape[3] == columns, biasCount == filters,
              params.values.count == weightCount + biasCount else {
            throw archive.error("has a con_ layer of \(filters) \(rows)×\(columns) filters whose parameters "
                + "(\(params.values.count) values, filters \(filterShape), biases \(biasShape)) do not match")
        }
        return DlibConvolution(
            filters: filters, inChannels: filterShape[1], kernelRows: rows, kernelColumns: columns,
            strideY: strideY, strideX: strideX, paddingY: paddingY, paddingX: paddingX,
            weights: Array(params.values[0..<weightCount]), bias: Array(params.values[weightCount...]))
    }

    private static func readFullyConnected(_ archive: inout DlibArchive, hasUseBias: Bool) throws
        -> DlibFullyConnected
    {
        let outputs = try archive.readInt("an fc output count", in: 1...Int(Int32.max))
        let inputs = try archive.readInt("an fc input count", in: 0...Int(Int32.max))
        let params = try archive.readTensor()
        let weightShape = try readAlias(&archive)
        let biasShape = try readAlias(&archive)
        let biasMode = try archive.readInt("an fc bias mode", in: 0...1)
        for _ in 0..<4 { _ = try archive.readDouble() }  // learning-rate and weight-decay multipliers
        let useBias = hasUseBias ? try archive.readBool() : true
        let weightCount = product(weightShape), biasCount = biasMode == 0 ? product(biasShape) : 0
        guard weightShape[0] == inputs, weightShape[1] == outputs, weightCount == inputs * outputs,
              biasCount == 0 || biasCount == outputs, params.values.count == weightCount + biasCount else {
            throw archive.error("has an fc_ layer \(inputs)→\(outputs) whose parameters (\(params.values.count) "
                + "values, weights \(weightShape), biases \(biasShape)) do not match")
        }
        let bias = biasMode == 0 && useBias ? Array(params.values[weightCount...]) : nil
        return DlibFullyConnected(outputs: outputs, inputs: inputs, weights: Array(params.values[0..<weightCount]),
                                  bias: bias)
    }

    private static func readAffine(_ archive: inout DlibArchive, hasDisabled: Bool) throws -> DlibAffine {
        let params = try archive.readTensor()
        let gammaShape = try readAlias(&archive)
        let betaShape = try readAlias(&archive)
        let mode = try readMode(&archive)
        let disabled = hasDisabled ? try archive.readBool() : false
        let count = product(gammaShape)
        guard disabled || (product(betaShape) == count && params.values.count == 2 * count) else {
            throw archive.error("has an affine_ layer whose parameters (\(params.values.count) values, gamma "
                + "\(gammaShape), beta \(betaShape)) do not match")
        }
        if disabled { return DlibAffine(mode: mode, gamma: [], beta: [], isDisabled: true) }
        return DlibAffine(mode: mode, gamma: Array(params.values[0..<count]), beta: Array(params.values[count...]),
                          isDisabled: false)
    }

    private static func readMode(_ archive: inout DlibArchive) throws -> DlibLayerMode {
        DlibLayerMode(rawValue: try archive.readInt("a layer mode", in: 0...1))!
    }

    private static func readBatchNorm(_ archive: inout DlibArchive, mode: DlibLayerMode) throws -> DlibBatchNorm {
        let params = try archive.readTensor()
        let gammaShape = try readAlias(&archive)
        let betaShape = try readAlias(&archive)
        _ = try archive.readTensor()  // batch means of the last training step
        _ = try archive.readTensor()  // their inverse standard deviations
        let runningMean = try archive.readTensor().values
        let runningVariance = try archive.readTensor().values
        _ = try archive.readInt("an update count", in: 0...Int(Int64.max))
        _ = try archive.readInt("a running-statistics window", in: 0...Int(Int64.max))
        for _ in 0..<4 { _ = try archive.readDouble() }  // learning-rate and weight-decay multipliers
        let epsilon = try archive.readDouble()
        let count = product(gammaShape)
        guard product(betaShape) == count, params.values.count == 2 * count, runningMean.count == count,
              runningVariance.count == count else {
            throw archive.error("has a bn_ layer whose parameters (\(params.values.count) values, gamma "
                + "\(gammaShape), \(runningMean.count) means, \(runningVariance.count) variances) do not match")
        }
        return DlibBatchNorm(mode: mode, gamma: Array(params.values[0..<count]), beta: Array(params.values[count...]),
                             runningMean: runningMean, runningVariance: runningVariance, epsilon: epsilon)
    }

    private static func readPooling(_ archive: inout DlibArchive) throws -> DlibPooling {
        let size = 0...65536
        return DlibPooling(
            kernelRows: try archive.readInt("a pooling window height", in: size),
            kernelColumns: try archive.readInt("a pooling window width", in: size),
            strideY: try archive.readInt("a pooling vertical stride", in: 1...65536),
            strideX: try archive.readInt("a pooling horizontal stride", in: 1...65536),
            paddingY: try archive.readInt("a pooling vertical padding", in: size),
            paddingX: try archive.readInt("a pooling horizontal padding", in: size))
    }
}
