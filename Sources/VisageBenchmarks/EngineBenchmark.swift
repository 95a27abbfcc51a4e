import Foundation
import Torch
import Visage

/// `visage bench engines`: dlib's face pipeline in Visage against dlib itself (the dlib-bin wheel), on the same
/// photos and chips in one invocation.
///
/// Rows: dlib-resnet descriptors per second at batch 1 and batched, detections per second (photos/s, no
/// upsampling) against dlib's CNN and HOG detectors, and the whole photo → template pipeline (detect, five
/// landmarks, chip, descriptor of every face).
public struct EngineBenchmark {
    /// Rates per second; nil where a side has no such row.
    public struct Rates: Sendable, Equatable {
        public var descriptorBatch1: Double
        public var descriptorBatched: Double
        public var detect: Double
        public var detectHOG: Double?
        public var pipeline: Double
    }

    /// 250×250 RGB photos (``photos(from:side:)``).
    public var photos: [Image]
    /// Chips per batched call.
    public var batch = 64
    /// Seconds each row is timed for (after a warm-up call).
    public var seconds = 3.0
    /// libtorch threads on Visage's side (dlib-bin decides its own).
    public var threads = 2

    public init(photos: [Image]) {
        self.photos = photos
    }

    /// The centre `side`×`side` square of every image in `folder` (decoded as RGB; smaller images are scaled up
    /// first), as the benchmark's photos.
    public static func photos(from folder: URL, side: Int = 250) throws -> [Image] {
        try PhotoList([folder.path]).photos.map { photo in
            var image = try ImageCodec.decode(contentsOf: photo.url).converted(toChannels: 3)
            let scale = Double(side) / Double(min(image.width, image.height))
            if scale > 1 {
                image = image.resized(width: Int((Double(image.width) * scale).rounded(.up)),
                                      height: Int((Double(image.height) * scale).rounded(.up)), filter: .bilinear)
            }
            let left = (image.width - side) / 2, top = (image.height - side) / 2
            var square = Image(width: side, height: side, channels: 3)
            for y in 0..<side {
                let from = ((top + y) * image.width + left) * 3
                square.pixels.replaceSubrange((y * side * 3)..<((y + 1) * side * 3),
                                              with: image.pixels[from..<(from + side * 3)])
            }
            return square
        }
    }

    /// The dlib chips of every face the finder sees in the photos, for the descriptor rows.
    public func chips(finder: FaceFinder) throws -> [Image] {
        let chips = try photos.flatMap { photo in
            try finder.faces(in: photo).map { try FaceCrop.dlibChip(size: 150, padding: 0.25).cut(photo, dlibPoints: $0.landmarks) }
        }
        guard !chips.isEmpty else { throw DataError.invalidArgument("the benchmark photos hold no face to make chips of") }
        return chips
    }

    /// Visage's rates with `resnet` (dlib-resnet) and `finder` (upsampling 0, as dlib's rows).
    public func measureSwift(resnet: FaceModel, finder: FaceFinder, chips: [Image]) throws -> Rates {
        Runtime.threads = threads
        let single = try chips.prefix(8).map { try Batch.tensor([$0]) }
        let batched = try Batch.tensor((0..<batch).map { chips[$0 % chips.count] })
        let network = resnet.backbone
        network.eval()
        func rate(_ items: Int, _ body: () throws -> Void) throws -> Double {
            try body()
            var calls = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                try body()
                calls += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            return Double(calls * items) / elapsed
        }
        return try withoutGrad {
            let descriptorBatch1 = try rate(single.count) { for input in single { _ = network(input) } }
            let descriptorBatched = try rate(batch) { _ = network(batched) }
            let detect = try rate(photos.count) {
                for photo in photos { _ = try finder.detector.detect(photo, upsample: 0) }
            }
            let crop = FaceCrop.dlibChip(size: 150, padding: 0.25)
            let pipeline = try rate(photos.count) {
                for photo in photos {
                    let faces = try finder.faces(in: photo)
                    if faces.isEmpty { continue }
                    _ = network(try Batch.tensor(faces.map { try crop.cut(photo, dlibPoints: $0.landmarks) }))
                }
            }
            return Rates(descriptorBatch1: descriptorBatch1, descriptorBatched: descriptorBatched, detect: detect,
                         detectHOG: nil, pipeline: pipeline)
        }
    }

    /// dlib's rates from the anchor script, run by `python` on the same photos and chips (written to a temporary
    /// folder) with the weights in `weights`.
    public func measureDlib(python: String, script: String, chips: [Image], weights: URL) throws -> Rates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-bench-engines-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, images) in [("chips", chips), ("photos", photos)] {
            let sub = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            for (index, image) in images.enumerated() {
                try ImageCodec.write(image, to: sub.appendingPathComponent(String(format: "%04d.png", index)))
            }
        }
        let result = try PythonAnchor.run(python: python, script: script, arguments: [
            "--chips", folder.appendingPathComponent("chips").path, "--photos", folder.appendingPathComponent("photos").path,
            "--weights", weights.path, "--batch", String(batch), "--seconds", String(seconds),
        ])
        func value(_ key: String) throws -> Double { try PythonAnchor.number(key, in: result, script: script) }
        return Rates(descriptorBatch1: try value("descriptor_batch1"), descriptorBatched: try value("descriptor_batched"),
                     detect: try value("detect_cnn"), detectHOG: try value("detect_hog"), pipeline: try value("pipeline"))
    }

    /// The side-by-side table.
    public func report(visage: Rates, dlib: Rates, faces: Int) -> String {
        let rows: [(String, Double?, Double?, String)] = [
            ("dlib-resnet descriptors/s, batch 1", visage.descriptorBatch1, dlib.descriptorBatch1, ""),
            ("dlib-resnet descriptors/s, batch \(batch)", visage.descriptorBatched, dlib.descriptorBatched, "≥ 3.0×"),
            ("MMOD CNN detection photos/s", visage.detect, dlib.detect, ""),
            ("HOG detection photos/s (dlib only)", nil, dlib.detectHOG, ""),
            ("photo → templates photos/s", visage.pipeline, dlib.pipeline, ""),
        ]
        var lines = ["\(photos.count) photos of \(photos.first?.width ?? 0)×\(photos.first?.height ?? 0) "
            + "(\(faces) faces at upsampling 0), Visage at \(threads) threads",
            tableCell("task", 38, left: true) + tableCell("Visage", 10) + tableCell("dlib", 10) + tableCell("ratio", 9)
            + tableCell("goal", 9)]
        for (task, ours, theirs, goal) in rows {
            let ratio = ours.flatMap { ours in theirs.map { String(format: "%.2f×", ours / $0) } } ?? "—"
            lines.append(tableCell(task, 38, left: true) + tableCell(ours.map { String(format: "%.1f", $0) } ?? "—", 10)
                + tableCell(theirs.map { String(format: "%.1f", $0) } ?? "—", 10) + tableCell(ratio, 9) + tableCell(goal, 9))
        }
        return lines.joined(separator: "\n")
    }
}
