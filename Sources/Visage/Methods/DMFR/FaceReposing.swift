import Foundation

/// Re-posed copies of an aligned face: a landmark-driven yaw warp, the stand-in here for the 3D-fitting
/// generators (PRNet) that DMFR's synthetic samples come from.
///
/// The five landmarks are given the depths of a mean face (eyes 0, nose tip ``noseDepth``, mouth corners
/// ``mouthDepth``, in units of the interocular distance, toward the camera) and rotated by the yaw angle about a
/// vertical axis through the eyes' midpoint, under orthographic projection: `x' = x_c + (x − x_c)·cos θ +
/// z·sin θ`, `y' = y`. The image is then warped by a ``ThinPlateSpline`` that moves each landmark to its rotated
/// position while eight anchors on the image border stay put. A yaw of 0 moves nothing and the warp samples every
/// pixel at its own centre, so the zero-change copy is the input itself, through the same path.
public struct FaceReposing: Sendable, Equatable {
    /// Rotation about the vertical axis, in degrees; positive moves the nose toward larger x.
    public var yawDegrees: Double
    /// Depth of the nose tip in front of the eyes, in interocular distances.
    public var noseDepth: Double
    /// Depth of the mouth corners in front of the eyes, in interocular distances.
    public var mouthDepth: Double

    /// A re-posing by `yawDegrees`.
    /// - Throws: ``DataError/invalidArgument(_:)`` for a yaw outside −60…60° (a 5-point warp cannot fake more)
    ///   or a depth outside 0…2.
    public init(yawDegrees: Double, noseDepth: Double = 0.55, mouthDepth: Double = 0.15) throws {
        guard yawDegrees.isFinite, abs(yawDegrees) <= 60 else {
            throw DataError.invalidArgument("re-posing yaw must lie in −60…60 degrees, got \(yawDegrees)")
        }
        for (name, depth) in [("nose", noseDepth), ("mouth", mouthDepth)] where !(depth.isFinite && (0...2).contains(depth)) {
            throw DataError.invalidArgument("the mean face's \(name) depth must lie in 0…2 interocular distances, got \(depth)")
        }
        self.yawDegrees = yawDegrees
        self.noseDepth = noseDepth
        self.mouthDepth = mouthDepth
    }

    /// Where the re-posing moves `landmarks`.
    public func targetLandmarks(for landmarks: FaceLandmarks) -> FaceLandmarks {
        let centre = (landmarks.leftEye + landmarks.rightEye) / 2
        let interocular = ((landmarks.rightEye - landmarks.leftEye) * (landmarks.rightEye - landmarks.leftEye)).sum()
            .squareRoot()
        let angle = yawDegrees * .pi / 180
        func rotated(_ point: SIMD2<Double>, depth: Double) -> SIMD2<Double> {
            SIMD2(centre.x + (point.x - centre.x) * cos(angle) + depth * interocular * sin(angle), point.y)
        }
        return FaceLandmarks(
            leftEye: rotated(landmarks.leftEye, depth: 0), rightEye: rotated(landmarks.rightEye, depth: 0),
            noseTip: rotated(landmarks.noseTip, depth: noseDepth),
            mouthLeft: rotated(landmarks.mouthLeft, depth: mouthDepth),
            mouthRight: rotated(landmarks.mouthRight, depth: mouthDepth))
    }

    /// `image` re-posed: its content at `landmarks` moved to ``targetLandmarks(for:)``, same size and channels.
    /// - Throws: ``DataError/invalidArgument(_:)`` for non-finite landmarks or ones so placed that no warp exists.
    public func apply(to image: Image, landmarks: FaceLandmarks) throws -> Image {
        guard landmarks.isFinite else { throw DataError.invalidArgument("landmarks must be finite, got \(landmarks.points)") }
        let targets = targetLandmarks(for: landmarks).points
        let w = Double(image.width), h = Double(image.height)
        let anchors: [SIMD2<Double>] = [
            [0, 0], [w / 2, 0], [w, 0], [0, h / 2], [w, h / 2], [0, h], [w / 2, h], [w, h],
        ]
        // Backward map: output point → output point + displacement, the displacement interpolated from the
        // landmarks' (target → source) offsets, zero at the anchors; zero offsets solve to exactly zero.
        let offsets = zip(landmarks.points, targets).map { $0 - $1 } + anchors.map { _ in SIMD2<Double>.zero }
        let displacement = try ThinPlateSpline(from: targets + anchors, to: offsets)
        return image.resampled { displacement($0) + $0 }
    }
}

extension Image {
    /// This image resampled by inverse mapping: output pixel centre p takes the bilinear value at
    /// `source(p)` (pixel centres at half-integers, borders replicated, values rounded).
    func resampled(_ source: (SIMD2<Double>) -> SIMD2<Double>) -> Image {
        var output = Image(width: width, height: height, channels: channels)
        let c = channels
        for y in 0..<height {
            for x in 0..<width {
                let point = source(SIMD2(Double(x) + 0.5, Double(y) + 0.5))
                let fx = min(max(point.x - 0.5, 0), Double(width - 1))
                let fy = min(max(point.y - 0.5, 0), Double(height - 1))
                let x0 = Int(fx), y0 = Int(fy)
                let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                let dx = fx - Double(x0), dy = fy - Double(y0)
                for channel in 0..<c {
                    let p00 = Double(pixels[(y0 * width + x0) * c + channel])
                    let p01 = Double(pixels[(y0 * width + x1) * c + channel])
                    let p10 = Double(pixels[(y1 * width + x0) * c + channel])
                    let p11 = Double(pixels[(y1 * width + x1) * c + channel])
                    let upper = p00 + (p01 - p00) * dx, lower = p10 + (p11 - p10) * dx
                    output.pixels[(y * width + x) * c + channel] =
                        UInt8(min(max((upper + (lower - upper) * dy).rounded(), 0), 255))
                }
            }
        }
        return output
    }
}
