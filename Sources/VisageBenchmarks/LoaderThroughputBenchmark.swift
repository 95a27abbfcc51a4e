import Foundation
import SyntheticFaces
import Visage

/// Measures how fast aligned faces become training batches: decode, random horizontal flip, normalize into
/// N×3×112×112 floats, with the Swift ``BatchLoader`` against the usual Python pipeline (PIL + NumPy + torch,
/// `Anchors/loader_throughput.py`) on the same image files.
public struct LoaderThroughputBenchmark {
    /// The ImageFolder read (aligned 112×112 faces).
    public var root: URL
    /// How many images (the first in ImageFolder order) one round reads.
    public var images = 4096
    public var batch = 128
    /// Loader worker threads on the Swift side and DataLoader worker processes on the Python side.
    public var workers = 2
    public var rounds = 3

    public init(root: URL) {
        self.root = root
    }

    /// Images per second, median over the rounds.
    public struct Throughput: Sendable {
        /// Images read per round.
        public var images: Int
        /// The Swift loader with one worker thread.
        public var swiftOneWorker: Double
        /// The Swift loader with ``LoaderThroughputBenchmark/workers`` worker threads.
        public var swiftWorkers: Double
        /// Python in one process.
        public var pythonSingleProcess: Double
        /// torch's DataLoader with ``LoaderThroughputBenchmark/workers`` worker processes.
        public var pythonDataLoader: Double
    }

    /// Times the Swift loader with `workers` threads over the first `images` samples of `folder` and returns
    /// images per second.
    public func measureSwift(folder: ImageFolder, workers: Int) throws -> Double {
        let flip = Augmentation.standard
        let source = LeadingSamples(base: folder, count: min(images, folder.count))
        let loader = try BatchLoader(source: source, batchSize: batch, workers: workers,
                                     transform: { image, generator in flip.apply(to: image, using: &generator) })
        var rates: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            let epoch = loader.epoch(0)
            while try epoch.next() != nil {}
            rates.append(Double(source.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
        return rates.sorted()[rates.count / 2]
    }

    /// Runs the whole comparison: Swift with one and with `workers` threads, then the Python anchor.
    public func measure(python: String, script: String) throws -> Throughput {
        let folder = try ImageFolder(root: root)
        let files = folder.samples.prefix(images)
        // Warm the file cache so that neither side, whichever runs first, measures the disk.
        for file in files { _ = try FileBytes.contents(ofFile: file.url.path, limit: ImageCodec.maxFileBytes) }
        let one = try measureSwift(folder: folder, workers: 1)
        let many = try measureSwift(folder: folder, workers: workers)
        let list = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-bench-loader-\(UUID().uuidString).txt")
        try Data(files.map { $0.url.path + "\n" }.joined().utf8).write(to: list)
        defer { try? FileManager.default.removeItem(at: list) }
        let result = try PythonAnchor.run(python: python, script: script, arguments: [
            "--list", list.path, "--images", "\(images)", "--batch", "\(batch)", "--workers", "\(workers)",
            "--rounds", "\(rounds)",
        ])
        func value(_ key: String) throws -> Double { try PythonAnchor.number(key, in: result, script: script) }
        return Throughput(images: files.count, swiftOneWorker: one, swiftWorkers: many,
                          pythonSingleProcess: try value("single_process_images_per_s"),
                          pythonDataLoader: try value("dataloader_images_per_s"))
    }

    /// A table of images per second; each ratio is Swift's rate over Python's single-process rate (the issue's
    /// goal is at least 2×), and the worker rows also over the DataLoader's.
    public func report(_ result: Throughput) -> String {
        let anchor = result.pythonSingleProcess
        let rows: [(String, Double, String)] = [
            ("Python, one process", anchor, "1.00×"),
            ("Python DataLoader, \(workers) workers", result.pythonDataLoader, String(format: "%.2f×", result.pythonDataLoader / anchor)),
            ("Swift BatchLoader, 1 worker", result.swiftOneWorker, String(format: "%.2f×", result.swiftOneWorker / anchor)),
            ("Swift BatchLoader, \(workers) workers", result.swiftWorkers,
             String(format: "%.2f× (%.2f× the DataLoader)", result.swiftWorkers / anchor,
                    result.swiftWorkers / result.pythonDataLoader)),
        ]
        var lines = [
            "\(result.images) images from \(root.path), batch \(batch): decode, flip (p = 0.5), normalize; "
                + "median of \(rounds) rounds",
            "loader".padding(toLength: 34, withPad: " ", startingAt: 0) + "    images/s  vs Python one process",
        ]
        for (name, rate, ratio) in rows {
            lines.append(name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %11.1f  ", rate) + ratio)
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `count` aligned synthetic faces as JPEG (quality 92, like the shared LFW crops) into an ImageFolder
    /// at `directory`, for machines without the shared data; only a few distinct faces are rendered and reused,
    /// since decoding cost does not depend on who is shown. `progress` shows a bar on standard error.
    public static func writeSyntheticFolder(to directory: URL, count: Int, distinctFaces: Int = 64,
                                            progress: Bool = false) throws {
        let bar = ProgressBar("synthetic faces", total: count, unit: "img", enabled: progress)
        let distinct = max(1, min(count, distinctFaces))
        let faces = try SyntheticFaceSource(dataset: SyntheticDataset(identities: (distinct + 7) / 8, imagesPerIdentity: 8))
        let rendered = try (0..<distinct).map { try faces.image(at: $0) }
        for index in 0..<count {
            let folder = directory.appendingPathComponent(String(format: "id%04d", index / 16), isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try ImageCodec.write(rendered[index % rendered.count],
                                 to: folder.appendingPathComponent(String(format: "%06d.jpg", index)))
            bar.advance()
        }
        bar.finish()
    }
}

/// The first `count` samples of another source.
private struct LeadingSamples: FaceSource {
    let base: any FaceSource
    let count: Int

    func label(at index: Int) -> Int { base.label(at: index) }
    func name(at index: Int) -> String { base.name(at: index) }
    func image(at index: Int) throws -> Image { try base.image(at: index) }
}
