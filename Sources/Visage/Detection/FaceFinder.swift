import Foundation

/// Finds the faces in a photo: dlib's MMOD detector for the boxes, dlib's 5-point model for the landmarks.
///
/// Both models come from the weights folder, checked against their pins. Faces are returned largest first, so
/// the first is "the" face of a portrait.
public final class FaceFinder {
    /// A face found in a photo.
    public struct Face: Sendable, Equatable, Codable {
        /// The detector's box, dlib's inclusive rectangle in the photo's pixels.
        public var box: FaceBox
        /// The detector's confidence (larger is surer; 0 is its default threshold).
        public var score: Double
        /// dlib's five landmarks in ``ShapePredictor``'s order, in the photo's pixels.
        public var landmarks: [SIMD2<Double>]
    }

    public let detector: MMODFaceDetector
    public let predictor: ShapePredictor
    /// Times the photo is doubled before detection: dlib's detector sees faces from about 80 pixels at 0,
    /// 40 at 1, 20 at 2.
    public var upsample: Int
    /// Detector confidence a face needs.
    public var threshold: Double

    public init(detector: MMODFaceDetector, predictor: ShapePredictor, upsample: Int = 1, threshold: Double = 0) {
        self.detector = detector
        self.predictor = predictor
        self.upsample = upsample
        self.threshold = threshold
    }

    /// The catalogue's detector and landmark model from `weightsFolder`.
    /// - Throws: ``EngineError`` for missing or altered weights, ``DataFileError`` for unreadable ones.
    public static func load(weightsFolder: URL = EngineWeights.folder(), upsample: Int = 1,
                            threshold: Double = 0) throws -> FaceFinder {
        let detector = try MMODFaceDetector.load(
            from: EngineWeights.verifiedURL(for: EngineCatalogue.mmodFaceDetector.weights, in: weightsFolder))
        let predictor = try ShapePredictor.load(
            from: EngineWeights.verifiedURL(for: EngineCatalogue.shapePredictor5.weights, in: weightsFolder))
        return FaceFinder(detector: detector, predictor: predictor, upsample: upsample, threshold: threshold)
    }

    /// The faces in `photo`, largest first.
    ///
    /// A photo that would exceed ``maximumPixels`` once upsampled is detected on a copy shrunk to fit (boxes
    /// scaled back; landmarks placed on the full photo), so phone-camera photos do not need gigabytes of
    /// activations; faces that the shrinking takes below the detector's size are not found.
    public func faces(in photo: Image) throws -> [Face] {
        let rgb = photo.channels == 3 ? photo : photo.converted(toChannels: 3)
        guard rgb.width > 0, rgb.height > 0 else { return [] }
        let upsampled = Double(rgb.width * rgb.height) * Double(1 << (2 * upsample))
        let shrink = min(1, (Double(Self.maximumPixels) / upsampled).squareRoot())
        var detections: [FaceDetection]
        if shrink < 1 {
            let small = rgb.resized(width: max(1, Int(Double(rgb.width) * shrink)),
                                    height: max(1, Int(Double(rgb.height) * shrink)), filter: .area)
            let scaleX = Double(rgb.width) / Double(small.width), scaleY = Double(rgb.height) / Double(small.height)
            detections = try detector.detect(small, upsample: upsample, threshold: threshold).map { found in
                FaceDetection(left: Int((Double(found.box.left) * scaleX).rounded()),
                              top: Int((Double(found.box.top) * scaleY).rounded()),
                              right: Int((Double(found.box.right + 1) * scaleX).rounded()) - 1,
                              bottom: Int((Double(found.box.bottom + 1) * scaleY).rounded()) - 1, score: found.score)
            }
        } else {
            detections = try detector.detect(rgb, upsample: upsample, threshold: threshold)
        }
        return detections
            .sorted { $0.box.width * $0.box.height > $1.box.width * $1.box.height }
            .map { Face(box: $0.box, score: $0.score, landmarks: predictor.predict(rgb, box: $0.box)) }
    }

    /// The most pixels the detector runs on after upsampling: 8 megapixels, a few hundred megabytes of
    /// activations.
    public static let maximumPixels = 8 << 20
}
