import Foundation
import Visage

/// Enrolls photos into a gallery: reads each file once, skips those already stored (by SHA-256), finds and
/// embeds their faces a chunk of photos at a time, and stores each photo in its own transaction, so that an
/// interrupted run keeps every photo it finished and a re-run picks up where it stopped.
public struct GalleryEnroller {
    public let store: GalleryStore
    public let pipeline: FacePipeline
    /// The engine stamp the templates are stored under.
    public let engine: String
    /// Whether the photos are ArcFace-aligned crops (no detection).
    public var aligned = false
    /// Photos detected and embedded together before their transactions.
    public var chunkSize = 16

    public init(store: GalleryStore, pipeline: FacePipeline, engine: String) {
        self.store = store
        self.pipeline = pipeline
        self.engine = engine
    }

    /// What happened to the photos of one run.
    public struct Summary: Sendable, Equatable {
        public var stored = 0
        public var faces = 0
        /// Photos stored with no face found (recorded, so that a re-run skips them).
        public var faceless: [String] = []
        /// Photos whose bytes were already in the gallery, with the stored photo's path.
        public var duplicates: [(photo: String, of: String)] = []
        /// Files refused, with the reason: empty, unreadable, not an image.
        public var refused: [(photo: String, reason: String)] = []

        public static func == (a: Summary, b: Summary) -> Bool {
            a.stored == b.stored && a.faces == b.faces && a.faceless == b.faceless
                && a.duplicates.map { [$0.photo, $0.of] } == b.duplicates.map { [$0.photo, $0.of] }
                && a.refused.map { [$0.photo, $0.reason] } == b.refused.map { [$0.photo, $0.reason] }
        }
    }

    /// Enrolls `photos`; `person` names whom a photo's largest face shows (nil: nobody).
    public func enroll(_ photos: PhotoList, person: (PhotoList.Photo) -> String?, showProgress: Bool = true) throws
        -> Summary
    {
        let keep = try store.keepsPhotos()
        var summary = Summary()
        let progress = ProgressBar("enroll", total: photos.photos.count, unit: "photo", enabled: showProgress)
        defer { progress.finish() }
        for start in stride(from: 0, to: photos.photos.count, by: chunkSize) {
            var batch: [(photo: PhotoList.Photo, bytes: [UInt8], sha256: String, located: FacePipeline.Located)] = []
            for photo in photos.photos[start..<min(start + chunkSize, photos.photos.count)] {
                let bytes: [UInt8]
                do { bytes = [UInt8](try DataFileError.contents(of: photo.url)) } catch {
                    summary.refused.append((photo.url.path, "\(error)"))
                    continue
                }
                guard !bytes.isEmpty else {
                    summary.refused.append((photo.url.path, "\(photo.url.path): the file is empty"))
                    continue
                }
                let sha256 = SHA256.hex(bytes)
                if let earlier = try store.storedPath(sha256: sha256) {
                    summary.duplicates.append((photo.url.path, earlier))
                    continue
                }
                do {
                    batch.append((photo, bytes, sha256, try pipeline.locate(bytes, name: photo.url.path, aligned: aligned)))
                } catch let error as ImageError {
                    summary.refused.append((photo.url.path, "\(error)"))
                }
            }
            let templates = try pipeline.templates(batch.map { ($0.located, $0.photo.url.path) })
            for (item, vectors) in zip(batch, templates) {
                let enrollment = record(item.located, templates: vectors, sha256: item.sha256, path: item.photo.url.path,
                                        bytes: keep ? item.bytes : nil, person: person(item.photo))
                switch try store.enroll(enrollment, engine: engine) {
                case .stored(_, let count):
                    summary.stored += 1
                    summary.faces += count
                    if count == 0 { summary.faceless.append(item.photo.url.path) }
                case .duplicate(let earlier):
                    summary.duplicates.append((item.photo.url.path, earlier))
                }
            }
            progress.advance(by: min(chunkSize, photos.photos.count - start))
        }
        return summary
    }

    /// Enrolls one photo given as bytes (an upload), stored under `name`; `person` is whom its largest face shows.
    /// - Throws: ``GalleryError`` for empty bytes, ``ImageError`` naming `name` for bytes that are not an image.
    public func enroll(bytes: [UInt8], name: String, person: String?) throws -> GalleryStore.EnrollOutcome {
        guard !bytes.isEmpty else { throw GalleryError("\(name): the file is empty") }
        let sha256 = SHA256.hex(bytes)
        if let earlier = try store.storedPath(sha256: sha256) { return .duplicate(of: earlier) }
        let located = try pipeline.locate(bytes, name: name, aligned: aligned)
        let templates = try pipeline.templates([(located, name)])[0]
        return try store.enroll(record(located, templates: templates, sha256: sha256, path: name,
                                       bytes: try store.keepsPhotos() ? bytes : nil, person: person), engine: engine)
    }

    /// The record of a located photo and its faces' templates.
    private func record(_ located: FacePipeline.Located, templates: [[Float]], sha256: String, path: String,
                        bytes: [UInt8]?, person: String?) -> PhotoEnrollment {
        let faces = zip(located.faces, templates).map {
            GalleryFace(box: $0.box, score: $0.score, landmarks: $0.landmarks, template: $1)
        }
        return PhotoEnrollment(sha256: sha256, path: path, width: located.image.width, height: located.image.height,
                               aligned: aligned, bytes: bytes.map { Data($0) }, person: person, faces: faces)
    }
}
