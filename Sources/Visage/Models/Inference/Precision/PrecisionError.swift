/// Why a model could not be prepared for inference at a lower precision.
public enum PrecisionError: Error, Equatable, CustomStringConvertible {
    /// The network's forward pass cannot be replayed from its recorded operators.
    case untraceable(String)
    /// The lower-precision network's templates are too far from the float32 ones on the calibration faces.
    case inaccurate(precision: InferencePrecision, meanCosine: Double, tolerance: Double, faces: Int)
    /// Calibration needs faces.
    case noCalibrationFaces

    public var description: String {
        switch self {
        case .untraceable(let reason):
            "cannot run this network at a lower precision: \(reason)"
        case .inaccurate(let precision, let meanCosine, let tolerance, let faces):
            "refused \(precision): its templates of the \(faces) calibration faces have mean cosine "
                + "\(String(format: "%.4f", meanCosine)) to the float32 ones, below the tolerance "
                + "\(String(format: "%.4f", tolerance)) (--precision-tolerance)"
        case .noCalibrationFaces:
            "int8 needs calibration faces, and none were given"
        }
    }
}
