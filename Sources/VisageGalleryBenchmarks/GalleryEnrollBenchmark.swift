import Foundation
import Visage
import VisageBenchmarks
import VisageGallery

/// `visage bench gallery`'s enroll half: photos per second through the whole enroll path (read → detect → align →
/// embed → commit, ``GalleryEnroller``) into a new gallery, and through the store's commit alone (one photo with
/// one synthetic template per transaction), each in a temporary gallery removed afterwards.
public struct GalleryEnrollBenchmark {
    public let photos: PhotoList
    /// The engine (`visage engines`) embedding the photos.
    public let engine: String
    /// Photos committed in the commit-only run.
    public var commits = 2000
    public var showProgress = true

    public init(photos: PhotoList, engine: String) {
        self.photos = photos
        self.engine = engine
    }

    public struct Result: Sendable {
        public var engine: String
        public var photos: Int
        public var faces: Int
        public var pipelineSeconds: Double
        public var commits: Int
        public var commitSeconds: Double
        public var pipelinePerSecond: Double { Double(photos) / pipelineSeconds }
        public var commitPerSecond: Double { Double(commits) / commitSeconds }
    }

    public func measure() throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-bench-enroll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try FaceModel.load(engine)
        let pipeline = try FacePipeline(model: model, finder: try FaceFinder.load())
        let store = try GalleryStore.create(at: folder.appendingPathComponent("pipeline.sqlite"), engine: engine,
                                            engineStamp: model.identifier, keepPhotos: false)
        let enroller = GalleryEnroller(store: store, pipeline: pipeline, engine: model.identifier)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try enroller.enroll(photos, person: { $0.url.deletingLastPathComponent().lastPathComponent },
                                          showProgress: showProgress)
        let pipelineSeconds = elapsedSeconds(since: start)
        let commitStore = try GalleryStore.create(at: folder.appendingPathComponent("commit.sqlite"), engine: "bench",
                                                  engineStamp: "bench", keepPhotos: false)
        var random = SeededRandom(seed: 1)
        let bar = ProgressBar("commit", total: commits, unit: "photo", enabled: showProgress)
        let commitStart = DispatchTime.now().uptimeNanoseconds
        for photo in 0..<commits {
            let face = GalleryFace(box: FaceBox(left: 0, top: 0, right: 99, bottom: 99), score: 1,
                                   landmarks: Array(repeating: SIMD2(50, 50), count: 5),
                                   template: (0..<128).map { _ in Float(random.normal()) })
            _ = try commitStore.enroll(PhotoEnrollment(sha256: SHA256.hex(Array("photo \(photo)".utf8)), path: "/bench/\(photo).jpg",
                                                       width: 100, height: 100, aligned: false, bytes: nil,
                                                       person: "person \(photo % 100)", faces: [face]), engine: "bench")
            bar.advance()
        }
        bar.finish()
        return Result(engine: model.identifier, photos: photos.photos.count, faces: summary.faces,
                      pipelineSeconds: pipelineSeconds, commits: commits, commitSeconds: elapsedSeconds(since: commitStart))
    }

    public func report(_ result: Result) -> String {
        [
            "Enroll into a new gallery (\(result.engine)):",
            [tableCell("path", 36, left: true), tableCell("photos", 8), tableCell("seconds", 9), tableCell("photos/s", 10),
             tableCell("×commit", 8)].joined(separator: " "),
            [tableCell("read+detect+align+embed+commit", 36, left: true), tableCell("\(result.photos)", 8),
             tableCell(String(format: "%.2f", result.pipelineSeconds), 9), tableCell(String(format: "%.1f", result.pipelinePerSecond), 10),
             tableCell(String(format: "%.4f", result.pipelinePerSecond / result.commitPerSecond), 8)].joined(separator: " "),
            [tableCell("commit only (1 face, 1 transaction)", 36, left: true), tableCell("\(result.commits)", 8),
             tableCell(String(format: "%.2f", result.commitSeconds), 9), tableCell(String(format: "%.1f", result.commitPerSecond), 10),
             tableCell("1.0000", 8)].joined(separator: " "),
            "(\(result.faces) faces stored from the \(result.photos) photos)",
        ].joined(separator: "\n")
    }
}
