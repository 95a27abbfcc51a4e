import Foundation

/// Low-quality versions of aligned faces, as the bridge-distillation paper's degraded copies and DDL's hard
/// stream: alignment error, downsampling to p×p, blur, noise, JPEG compression and lighting change.
public struct Degradation: Sendable, Equatable, Codable {
    /// Target resolutions; one is drawn per image (the paper uses 96, 64, 32 and 16).
    public var resolutions: [Int] = [16]
    /// How the image is shrunk to p×p.
    public var filter: ResamplingFilter = .area
    /// Range of Gaussian blur sigma (in pixels of the original image) applied before downsampling.
    public var blurSigma: ClosedRange<Double> = 0...0
    /// Range of additive Gaussian noise sigma (0–255 units) applied at the low resolution.
    public var noiseSigma: ClosedRange<Double> = 0...0
    /// JPEG quality range for a compression round trip at the low resolution; nil leaves it out.
    public var jpegQuality: ClosedRange<Int>? = nil
    /// Strength of a random lighting change, 0 (none) … 1 (extreme side light).
    public var illumination: Double = 0
    /// Return the image upsampled back (bicubic) to its original size, as models with a fixed input need;
    /// false returns the p×p image.
    public var upsampleBack: Bool = true
    /// Standard deviation, in pixels of the 112×112 ArcFace template, of Gaussian noise on the five landmarks
    /// from which the face is re-aligned before downsampling (see ``FaceAligner/misaligned(_:deviation:template:using:)``);
    /// 0 leaves the alignment alone.
    public var landmarkJitter: Double = 0

    public init(resolutions: [Int] = [16], filter: ResamplingFilter = .area, blurSigma: ClosedRange<Double> = 0...0,
                noiseSigma: ClosedRange<Double> = 0...0, jpegQuality: ClosedRange<Int>? = nil, illumination: Double = 0,
                upsampleBack: Bool = true, landmarkJitter: Double = 0) throws {
        guard !resolutions.isEmpty, resolutions.allSatisfy({ $0 >= 4 && $0 <= 4096 }) else {
            throw DataError.invalidArgument("degradation resolutions must be between 4 and 4096, got \(resolutions)")
        }
        if let jpegQuality, jpegQuality.lowerBound < 1 || jpegQuality.upperBound > 100 {
            throw DataError.invalidArgument("JPEG quality must lie in 1…100, got \(jpegQuality)")
        }
        guard (0...1).contains(illumination) else {
            throw DataError.invalidArgument("illumination strength must lie in 0…1, got \(illumination)")
        }
        guard landmarkJitter >= 0, landmarkJitter <= 56 else {
            throw DataError.invalidArgument("landmark jitter must lie in 0…56 template pixels, got \(landmarkJitter)")
        }
        self.resolutions = resolutions
        self.filter = filter
        self.blurSigma = blurSigma
        self.noiseSigma = noiseSigma
        self.jpegQuality = jpegQuality
        self.illumination = illumination
        self.upsampleBack = upsampleBack
        self.landmarkJitter = landmarkJitter
    }

    /// `image` degraded with randomness from `generator`.
    public func apply(to image: Image, using generator: inout SeededRandom) throws -> Image {
        let side = resolutions[Int(generator.next() % UInt64(resolutions.count))]
        var result = image
        if landmarkJitter > 0 {
            result = try FaceAligner.misaligned(result, deviation: landmarkJitter, using: &generator)
        }
        if illumination > 0 {
            result = IlluminationChange.random(strength: illumination, using: &generator).apply(to: result)
        }
        let sigma = Self.draw(blurSigma, &generator)
        if sigma > 0 { result = result.gaussianBlurred(sigma: sigma) }
        let height = max(1, Int((Double(side) * Double(image.height) / Double(image.width)).rounded()))
        result = result.resized(width: side, height: height, filter: filter)
        let noise = Self.draw(noiseSigma, &generator)
        if noise > 0 { result = result.withGaussianNoise(sigma: noise, using: &generator) }
        if let jpegQuality {
            let quality = Int.random(in: jpegQuality, using: &generator)
            result = try ImageCodec.decode(ImageCodec.encodeJPEG(result, quality: quality), name: "<degraded>")
        }
        if upsampleBack { result = result.resized(width: image.width, height: image.height, filter: .bicubic) }
        return result
    }

    private static func draw(_ range: ClosedRange<Double>, _ generator: inout SeededRandom) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * generator.unit()
    }
}
