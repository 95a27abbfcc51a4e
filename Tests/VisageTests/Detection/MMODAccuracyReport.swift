import Foundation
import Testing
import Torch
@testable import Visage

/// Recall and speed of Visage's MMOD detector, the figures `scripts/fixtures/mmod_accuracy.py` prints for dlib.
/// A measurement, not a check: runs only with `VISAGE_MMOD_REPORT=1` (and the weights and shared data).
@Suite("MMODAccuracyReport", .enabled(if: ProcessInfo.processInfo.environment["VISAGE_MMOD_REPORT"] == "1"
    && EngineWeightsFixtures.dlibMMOD != nil && DataFixtures.hasSharedData))
struct MMODAccuracyReport {
    /// The annotated boxes of `testing.xml` and `training.xml`, per photo (dlib rectangles, inclusive edges).
    private func truthBoxes() throws -> [String: [FaceDetection]] {
        var boxes = [String: [FaceDetection]]()
        for name in ["testing.xml", "training.xml"] {
            let text = try String(contentsOf: try DataFixtures.shared("detection/\(name)"), encoding: .isoLatin1)
            var file = ""
            for line in text.split(separator: "\n") {
                func attribute(_ key: String) -> Double? {
                    guard let range = line.range(of: " \(key)='") else { return nil }
                    return Double(line[range.upperBound...].prefix { $0 != "'" })
                }
                if let range = line.range(of: "<image file='") {
                    file = String(line[range.upperBound...].prefix { $0 != "'" })
                } else if line.contains("<box "), let top = attribute("top"), let left = attribute("left"),
                          let width = attribute("width"), let height = attribute("height") {
                    boxes[file, default: []].append(
                        FaceDetection(left: left, top: top, width: width, height: height, score: 1))
                }
            }
        }
        return boxes
    }

    @Test("recall at IoU ≥ 0.5 on the 43 annotated faces, and photos/s on 250×250 photos, one thread")
    func report() throws {
        Runtime.threads = 1
        let detector = try MMODFaceDetector.load(from: try #require(EngineWeightsFixtures.dlibMMOD))
        let truths = try truthBoxes()
        for upsample in [0, 1] {
            var matched = 0, total = 0, extra = 0, ious = [Double]()
            for (file, truth) in truths.sorted(by: { $0.key < $1.key }) {
                let image = try ImageCodec.decode(contentsOf: try DataFixtures.shared("detection/\(file)"))
                let found = try detector.detect(image, upsample: upsample)
                var used = Set<Int>()
                for box in truth {
                    total += 1
                    let best = found.indices.filter { !used.contains($0) }
                        .max { found[$0].intersectionOverUnion(box) < found[$1].intersectionOverUnion(box) }
                    if let best, found[best].intersectionOverUnion(box) >= 0.5 {
                        used.insert(best)
                        matched += 1
                        ious.append(found[best].intersectionOverUnion(box))
                    }
                }
                extra += found.count - used.count
            }
            let meanIoU = ious.reduce(0, +) / Double(max(ious.count, 1))
            print("Visage MMOD upsample \(upsample): recall \(matched)/\(total) = "
                  + String(format: "%.3f, mean IoU %.3f, unmatched detections %d",
                           Double(matched) / Double(total), meanIoU, extra))
        }

        let folder = URL(
            fileURLWithPath: ProcessInfo.processInfo.environment["VISAGE_MMOD_SPEED_DIR"] ?? "/tmp/mmod_speed")
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "png" }.sorted { $0.path < $1.path }
        guard !files.isEmpty else { return }
        let photos = try files.map { try ImageCodec.decode(contentsOf: $0) }
        for photo in photos { _ = try detector.detect(photo) }
        let passes = 3
        let start = Date()
        for _ in 0..<passes { for photo in photos { _ = try detector.detect(photo) } }
        let elapsed = Date().timeIntervalSince(start)
        let pyramids = photos.map { TiledPyramid(imageWidth: $0.width, imageHeight: $0.height) }
        var pyramidSeconds = 0.0, networkSeconds = 0.0
        for (photo, pyramid) in zip(photos, pyramids) {
            let begin = Date()
            let input = try detector.pyramidTensor(photo.converted(toChannels: 3), pyramid)
            let middle = Date()
            _ = withoutGrad { detector.network(input) }.sum().item
            pyramidSeconds += middle.timeIntervalSince(begin)
            networkSeconds += Date().timeIntervalSince(middle)
        }
        print(String(format: "Visage MMOD per photo: pyramid %.1f ms, network %.1f ms",
                     1000 * pyramidSeconds / Double(photos.count),
                     1000 * networkSeconds / Double(photos.count)))
        print(String(format: "Visage MMOD: %.1f photos/s on 250×250 (%d photos, upsample 0, 1 thread)",
                     Double(photos.count * passes) / elapsed, photos.count * passes))
    }
}
