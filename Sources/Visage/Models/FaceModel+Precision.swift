import Torch

extension FaceModel {
    /// Mean cosine to the float32 templates below which a lower precision is refused, by default: on LFW View 1
    /// (docs/experiments/precision.md) int8 `mobilefacenet-ms1m` at 0.980 verified 0.1 points below fp32, at 0.971
    /// (before ReLU6 was fused) 0.6 below.
    public static let defaultPrecisionTolerance = 0.98

    /// This model running at `precision`, calibrated on the first `count` faces of `calibration` (faces already
    /// cut for this model, as ``faces(fromAligned:)`` gives them); `self` for fp32.
    ///
    /// The returned model shares this one's network, which is prepared for inference in place first (batch norms
    /// folded, the architecture's memory layout): use the returned model from then on. Its ``identifier`` carries
    /// the precision (``InferencePrecision/stampSuffix``), so its templates are never compared with another
    /// precision's as if they were the same model's.
    /// - Throws: ``PrecisionError`` when the network cannot be replayed or its templates of the calibration faces
    ///   fall below `tolerance` (mean cosine to float32); the loader's errors for unreadable faces.
    public func atPrecision(_ precision: InferencePrecision, calibration: any FaceSource, count: Int = 256,
                            tolerance: Double = defaultPrecisionTolerance) throws -> FaceModel {
        if precision == .fp32 { return self }
        guard count > 0, calibration.count > 0 else { throw PrecisionError.noCalibrationFaces }
        let loader = try BatchLoader(source: ResizedFaceSource(calibration, side: inputSize),
                                     batchSize: min(count, calibration.count), imageSize: inputSize, workers: 2)
        guard let faces = try loader.epoch(0).next()?.images else { throw PrecisionError.noCalibrationFaces }
        prepareBackboneForInference()
        let network = try PrecisionNetwork(backbone, precision: precision, calibration: faces, tolerance: tolerance)
        return lowered(to: network)
    }

    /// What calibration found for this model's precision, to store and rebuild it later with
    /// ``atPrecision(_:)``; nil for a model in fp32.
    public var precisionCalibration: PrecisionCalibration? { (backbone as? PrecisionNetwork)?.calibration }

    /// This model at the precision of a stored calibration (``PrecisionNetwork/calibration``); `self` for fp32.
    /// The network is prepared for inference in place, as by ``atPrecision(_:calibration:count:tolerance:)``.
    /// - Throws: ``PrecisionError`` when the CPU lacks the precision; running it throws when the network's
    ///   operators are not those calibrated.
    public func atPrecision(_ calibration: PrecisionCalibration) throws -> FaceModel {
        if calibration.precision == .fp32 { return self }
        prepareBackboneForInference()
        return lowered(to: try PrecisionNetwork(backbone, calibration: calibration))
    }

    /// Batch norms folded, and the architecture's memory layout where it has one, in place.
    private func prepareBackboneForInference() {
        if let architecture { architecture.preparedForInference(backbone) } else { fusedForInference(backbone) }
    }

    private func lowered(to network: PrecisionNetwork) -> FaceModel {
        FaceModel(backbone: network, architecture: architecture, embeddingSize: embeddingSize, inputSize: inputSize,
                  identifier: identifier + network.precision.stampSuffix, crop: crop, engine: engine)
    }
}
