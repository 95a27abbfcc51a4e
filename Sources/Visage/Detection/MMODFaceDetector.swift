import Foundation
import Torch

/// dlib's CNN face detector (`mmod_human_face_detector.dat`, dlib's `cnn_face_detection_model_v1`), run natively:
/// the same tiled image pyramid, network, box mapping and non-maximum suppression, so that it reports the boxes
/// dlib reports.
///
/// A photo (grey is replicated to RGB, alpha dropped) is optionally enlarged `upsample` times by dlib's
/// `pyramid_up` (bilinear, about 2×), packed with its ⅚-scale reductions into one tiled image, normalized as
/// (pixel − channel mean)/256 and scored by the network; every output cell scoring above `threshold` becomes a
/// detector-window-sized box mapped back through the network's strides and the pyramid level it fell in; boxes are
/// rounded to whole pixels, sorted by score and suppressed greedily by dlib's overlap rule.
public final class MMODFaceDetector {
    /// One sliding-window shape of the detector (dlib's `detector_window_details`).
    public struct DetectorWindow: Sendable, Equatable {
        /// Width of the window in tiled-pyramid pixels.
        public var width: Int
        /// Height of the window in tiled-pyramid pixels.
        public var height: Int
        /// The window's label (dlib's detectors of faces use one unlabeled window).
        public var label: String
    }

    /// The detector's sliding windows, one per output channel of the network.
    public let windows: [DetectorWindow]
    /// The suppression rule stored with the network (dlib's `overlaps_nms`).
    public let suppression: NonMaximumSuppression
    /// Mean red, green and blue subtracted from pixels before the network.
    public let channelMeans: (red: Float, green: Float, blue: Float)
    /// Pixels between pyramid levels in the tiled image.
    public let pyramidPadding: Int
    /// Pixels of zeros around the tiled image.
    public let pyramidOuterPadding: Int
    /// dlib's `N` of `pyramid_down<N>`: successive levels are (N−1)/N the size (6 for the face detector).
    public let pyramidDownsampling: Int
    let network: MMODNetwork

    init(network: MMODNetwork, windows: [DetectorWindow], suppression: NonMaximumSuppression,
         channelMeans: (red: Float, green: Float, blue: Float), pyramidPadding: Int, pyramidOuterPadding: Int,
         pyramidDownsampling: Int = 6) {
        self.network = network
        self.windows = windows
        self.suppression = suppression
        self.channelMeans = channelMeans
        self.pyramidPadding = pyramidPadding
        self.pyramidOuterPadding = pyramidOuterPadding
        self.pyramidDownsampling = pyramidDownsampling
    }

    /// The faces in `image`, highest score first.
    ///
    /// - Parameters:
    ///   - upsample: how many times to enlarge the photo first (finds faces down to about 40 px at 0, 20 px at 1).
    ///   - threshold: the least score reported (dlib's `adjust_threshold`; 0 is dlib's default, lower finds more).
    /// - Throws: ``DataError`` for a negative `upsample` or an image too large to process.
    public func detect(_ image: Image, upsample: Int = 0, threshold: Double = 0) throws -> [FaceDetection] {
        guard upsample >= 0 else { throw DataError.invalidArgument("upsample must be 0 or more, got \(upsample)") }
        var rgb = image.converted(toChannels: 3)
        for _ in 0..<upsample {
            let size = Self.upsampledSize(width: rgb.width, height: rgb.height)
            guard size.width * size.height <= 1 << 28 else {
                throw DataError.invalidArgument(
                    "a \(image.width)×\(image.height) image upsampled \(upsample) times is too large")
            }
            rgb = DlibBilinearResize.resizeRGB(rgb, width: size.width, height: size.height)
        }
        let pyramid = TiledPyramid(imageWidth: rgb.width, imageHeight: rgb.height, downsampling: pyramidDownsampling,
                                   padding: pyramidPadding, outerPadding: pyramidOuterPadding)
        guard !pyramid.levels.isEmpty else { return [] }
        let input = try pyramidTensor(rgb, pyramid)
        let scores = withoutGrad { network(input) }
        let (channels, rows, columns) = (scores.size(1), scores.size(2), scores.size(3))
        let values = scores.contiguous().array(of: Float.self)

        var candidates = [FaceDetection]()
        for k in 0..<min(channels, windows.count) {
            for r in 0..<rows {
                for c in 0..<columns {
                    let score = Double(values[(k * rows + r) * columns + c])
                    guard score > threshold else { continue }
                    let center = network.inputPoint(outputX: Double(c), outputY: Double(r))
                    let halfWidth = Double(windows[k].width - 1) / 2, halfHeight = Double(windows[k].height - 1) / 2
                    let box = pyramid.imageBox(left: center.x - halfWidth, top: center.y - halfHeight,
                                               right: center.x + halfWidth, bottom: center.y + halfHeight)
                    candidates.append(Self.rounded(box, score: score))
                }
            }
        }
        candidates.sort { $0.score > $1.score }
        return suppression.suppress(candidates).map { detection in
            var box = (left: Double(detection.box.left), top: Double(detection.box.top),
                       right: Double(detection.box.right), bottom: Double(detection.box.bottom))
            for _ in 0..<upsample {
                box = (box.left / 2 - 1.25, box.top / 2 - 0.75, box.right / 2 - 1.25, box.bottom / 2 - 0.75)
            }
            return upsample == 0 ? detection : Self.rounded(box, score: detection.score)
        }
    }

    /// The size dlib's `pyramid_up` with `pyramid_down<2>` gives: the image's corners mapped by (p + (1.25, 0.75))·2
    /// and rounded.
    static func upsampledSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let right = ((Double(width - 1) + 1.25) * 2 + 0.5).rounded(.down)
        let bottom = ((Double(height - 1) + 0.75) * 2 + 0.5).rounded(.down)
        return (Int(right) + 1, Int(bottom) + 1)
    }

    /// A box rounded to whole pixels as dlib 20 converts a `drectangle` to a `rectangle`: each edge to the nearest
    /// integer, halves away from zero (−4.5 → −5, measured with dlib 20.0.1; older dlib took ⌊x + 0.5⌋).
    private static func rounded(_ box: (left: Double, top: Double, right: Double, bottom: Double), score: Double)
        -> FaceDetection {
        func round(_ value: Double) -> Int { Int(value.rounded(.toNearestOrAwayFromZero)) }
        return FaceDetection(left: round(box.left), top: round(box.top), right: round(box.right),
                             bottom: round(box.bottom), score: score)
    }

    /// The `[1, 3, H, W]` tiled pyramid of `image` in the network's convention.
    func pyramidTensor(_ image: Image, _ pyramid: TiledPyramid) throws -> Tensor {
        let (width, height) = (pyramid.width, pyramid.height)
        var planes = [Float](repeating: 0, count: 3 * width * height)
        let means = [channelMeans.red, channelMeans.green, channelMeans.blue]
        let first = pyramid.levels[0]
        planes.withUnsafeMutableBufferPointer { planes in
            image.pixels.withUnsafeBufferPointer { pixels in
                for channel in 0..<3 {
                    let plane = planes.baseAddress! + channel * width * height
                    let mean = means[channel]
                    for y in 0..<image.height {
                        let row = plane + (first.top + y) * width + first.left
                        let source = y * image.width * 3 + channel
                        for x in 0..<image.width { row[x] = (Float(pixels[source + 3 * x]) - mean) / 256 }
                    }
                    for index in pyramid.levels.indices.dropFirst() {
                        let from = pyramid.levels[index - 1], to = pyramid.levels[index]
                        DlibBilinearResize.resizePlane(
                            plane + from.top * width + from.left, sourceWidth: from.width, sourceHeight: from.height,
                            sourceStride: width, into: plane + to.top * width + to.left, width: to.width,
                            height: to.height, destinationStride: width)
                    }
                }
            }
        }
        return try Tensor(planes, shape: [1, 3, height, width])
    }
}
