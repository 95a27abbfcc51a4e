import Foundation
@testable import Visage

/// The dlib model files and reference outputs the detection tests use.
enum DetectionFixtures {
    static let shapePredictorURL = EngineWeightsFixtures.shapePredictor
    static let sharedData = DataFixtures.sharedData
    static var hasSharedData: Bool { sharedData != nil }
    static let engineFixtures = EngineWeightsFixtures.fixtures

    /// dlib's outputs recorded by `scripts/fixtures/shape_chip_fixture.py`.
    struct Reference: Decodable {
        struct Chip: Decodable {
            var rect: [Double]
            var angle: Double
            var rows: Int
            var columns: Int
            var checksum: [Int64]
            var png: String?
        }

        struct Case: Decodable {
            var image: String
            var size: [Int]?
            var pixels: [Int64]
            var box: [Int]
            var detected: Bool
            var points: [[Int]]
            var chipPoints: [[Int]]?
            var chip: Chip

            var isSynthetic: Bool { image.hasPrefix("synthetic:") }
            var faceBox: FaceBox { FaceBox(left: box[0], top: box[1], right: box[2], bottom: box[3]) }
            var dlibPoints: [SIMD2<Double>] { points.map { SIMD2(Double($0[0]), Double($0[1])) } }
            /// The points the chip was cut from (dlib's landmarks, or placed ones for the pyramid cases).
            var chipSource: [SIMD2<Double>] { (chipPoints ?? points).map { SIMD2(Double($0[0]), Double($0[1])) } }
        }

        var dlib: String
        var cases: [Case]
    }

    static func reference() throws -> Reference {
        let data = try Data(contentsOf: engineFixtures.appendingPathComponent("shape_chip_dlib.json"))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    /// The case's input image: the fixture script's synthetic pattern, or the photo from the shared data.
    static func image(for reference: Reference.Case) throws -> Image {
        if let size = reference.size, reference.isSynthetic {
            let index = Int(reference.image.dropFirst("synthetic:".count))!
            return synthetic(index: index, width: size[0], height: size[1], channels: size[2])
        }
        guard let root = sharedData else { throw DataError.invalidArgument("the shared data folder is absent") }
        return try ImageCodec.decode(contentsOf: root.appendingPathComponent(reference.image))
    }

    /// The fixture script's integer pattern (`synthetic()` there).
    static func synthetic(index: Int, width: Int, height: Int, channels: Int) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let texture = ((x / 7) * (y / 5) * (11 + 3 * c + index)) % 61
                    image[x, y, c] = UInt8((x * (3 + index) + y * (5 + c) + texture) % 256)
                }
            }
        }
        return image
    }

    /// The fixture script's checksum: [Σ v, Σ v·(i mod 65521 + 1)] over the pixel bytes.
    static func checksum(_ image: Image) -> [Int64] {
        var sum: Int64 = 0, weighted: Int64 = 0
        for (index, value) in image.pixels.enumerated() {
            sum += Int64(value)
            weighted += Int64(value) * Int64(index % 65521 + 1)
        }
        return [sum, weighted]
    }

    /// The largest per-byte difference between two images of one geometry and how many bytes differ at all.
    static func difference(_ a: Image, _ b: Image) -> (maximum: Int, differing: Int) {
        var maximum = 0, differing = 0
        for (x, y) in zip(a.pixels, b.pixels) where x != y {
            maximum = max(maximum, abs(Int(x) - Int(y)))
            differing += 1
        }
        return (maximum, differing)
    }
}
