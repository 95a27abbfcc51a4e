import Foundation
import Testing
@testable import Visage

/// Aligning the shared data sets' raw images with their `landmarks.csv` reproduces the provided aligned crops.
@Suite("Alignment reproduces the shared crops", .enabled(if: DataFixtures.hasSharedData), .serialized)
struct RealAlignmentTests {
    struct Dataset: Sendable, CustomTestStringConvertible {
        var name: String
        var count: Int
        /// Bound on the mean absolute pixel error with the landmarks as written in the CSV.
        var maximumError: Double
        var testDescription: String { name }
    }

    // Measured with the CSV's landmarks: ORL 0.0198, Yale B 0.0024 grey levels (mean over every pixel of every crop).
    static let datasets = [
        Dataset(name: "orl", count: 400, maximumError: 0.03),
        Dataset(name: "yaleb", count: 2414, maximumError: 0.005),
    ]

    /// dlib's eye centres are means of six integer landmark points, its nose tip and mouth corners integers; the
    /// CSV rounds them to two decimals, the crops were made from the exact values. Snapping to sixths undoes
    /// the rounding.
    static func unrounded(_ landmarks: FaceLandmarks) throws -> FaceLandmarks {
        try FaceLandmarks(points: landmarks.points.map { ($0 * 6).rounded(.toNearestOrEven) / 6 })
    }

    /// Aligns every raw image twice, with the CSV's landmarks and with them unrounded, and compares both crops
    /// with the provided one.
    @Test("aligned raw images match the provided crops", arguments: datasets)
    func reproducesCrops(_ dataset: Dataset) throws {
        let root = try DataFixtures.shared(dataset.name)
        let landmarks = try LandmarksFile(contentsOf: root.appendingPathComponent("landmarks.csv"))
        #expect(landmarks.records.count == dataset.count)
        var csvSum = 0, unroundedSum = 0, pixels = 0, identical = 0
        for record in landmarks.records {
            let raw = try ImageCodec.decode(contentsOf: landmarks.imageURL(of: record))
            let alignedPath = "aligned/" + record.image.dropFirst("raw/".count)
            let reference = try ImageCodec.decode(contentsOf: root.appendingPathComponent(alignedPath))
            let crop = try FaceAligner.align(raw, landmarks: record.landmarks)
            let exactCrop = try FaceAligner.align(raw, landmarks: Self.unrounded(record.landmarks))
            try #require(crop.width == reference.width && crop.height == reference.height
                && crop.channels == reference.channels, "\(alignedPath)")
            let difference = Self.absoluteDifference(crop, reference)
            csvSum += difference
            if difference == 0 { identical += 1 }
            unroundedSum += Self.absoluteDifference(exactCrop, reference)
            pixels += reference.pixels.count
        }
        let meanError = Double(csvSum) / Double(pixels)
        print("\(dataset.name): mean absolute error \(meanError) grey levels over \(landmarks.records.count) crops "
            + "(\(identical) identical) with the CSV's landmarks; \(unroundedSum) total with them unrounded")
        #expect(meanError < dataset.maximumError)
        #expect(unroundedSum == 0, "every crop is reproduced exactly from the unrounded landmarks")
    }

    /// Sum of absolute pixel differences (a plain loop: `zip`/`reduce` is slow in debug builds).
    static func absoluteDifference(_ lhs: Image, _ rhs: Image) -> Int {
        lhs.pixels.withUnsafeBufferPointer { a in
            rhs.pixels.withUnsafeBufferPointer { b in
                var sum = 0
                for i in 0..<min(a.count, b.count) {
                    sum &+= a[i] > b[i] ? Int(a[i] &- b[i]) : Int(b[i] &- a[i])
                }
                return sum
            }
        }
    }
}
