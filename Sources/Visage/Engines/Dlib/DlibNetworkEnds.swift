/// The input layer of a dlib network: how dlib turns images into its input tensor.
public struct DlibInputLayer: Equatable, Sendable {
    /// dlib's type name as written in the file (`input_rgb_image_sized`, `input_rgb_image_pyramid`, …).
    public var name: String
    /// Mean red, green and blue pixel values subtracted before dividing by 256 (dlib's `avg_red` …).
    public var mean: (red: Float, green: Float, blue: Float)
    /// The fixed input size (`input_rgb_image_sized`), or nil when any size is accepted.
    public var size: (rows: Int, columns: Int)?
    /// `input_rgb_image_pyramid2`'s padding between pyramid levels and around them, or nil for older files.
    public var pyramidPadding: (inner: Int, outer: Int)?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.mean == rhs.mean && lhs.size?.rows == rhs.size?.rows
            && lhs.size?.columns == rhs.size?.columns && lhs.pyramidPadding?.inner == rhs.pyramidPadding?.inner
            && lhs.pyramidPadding?.outer == rhs.pyramidPadding?.outer
    }
}

/// The loss layer of a dlib network, which also decides how its output is read at inference.
public enum DlibLossLayer: Equatable, Sendable {
    /// `loss_metric_`: a metric-learning embedding; distances under `distanceThreshold` mean the same identity.
    case metric(margin: Double, distanceThreshold: Double)
    /// `loss_mmod_`: max-margin object detection over sliding windows.
    case mmod(DlibMMODOptions)
    /// `loss_multiclass_log_`: class scores.
    case multiclassLog

    /// dlib's name of the loss.
    public var name: String {
        switch self {
        case .metric: "loss_metric"
        case .mmod: "loss_mmod"
        case .multiclassLog: "loss_multiclass_log"
        }
    }
}

/// The options of dlib's MMOD loss (`mmod_options`) that matter when detecting.
public struct DlibMMODOptions: Equatable, Sendable {
    /// One sliding window per output channel.
    public struct DetectorWindow: Equatable, Sendable {
        /// Window width in input pixels.
        public var width: Int
        /// Window height in input pixels.
        public var height: Int
        /// Label of the detections this window makes (empty in single-class detectors).
        public var label: String
    }

    /// dlib's `test_box_overlap`: two boxes overlap when their IoU exceeds `iouThreshold` or one covers more than
    /// `percentCoveredThreshold` of the other.
    public struct OverlapTest: Equatable, Sendable {
        /// Intersection-over-union bound.
        public var iouThreshold: Double
        /// Fraction-covered bound.
        public var percentCoveredThreshold: Double
    }

    /// The windows, one per output channel (five per window with bounding-box regression).
    public var detectorWindows: [DetectorWindow]
    /// Training loss of a false alarm.
    public var lossPerFalseAlarm: Double
    /// Training loss of a missed face.
    public var lossPerMissedTarget: Double
    /// IoU above which a detection matches a truth box.
    public var truthMatchIOUThreshold: Double
    /// The non-maximum-suppression overlap test.
    public var overlapsNMS: OverlapTest
    /// The overlap test that decides which detections near ignored boxes are ignored.
    public var overlapsIgnore: OverlapTest
    /// Whether the input is an image pyramid (dlib's `use_image_pyramid`; true in files older than version 3).
    public var assumesImagePyramid: Bool
    /// Whether the network also regresses box offsets.
    public var usesBoundingBoxRegression: Bool
    /// Weight of the box-regression loss.
    public var boundingBoxRegressionLambda: Double
}
