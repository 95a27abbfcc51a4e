import Foundation
import Torch

/// The faces found in a list of photos, as `visage detect` writes them (`faces.json`) and `visage align` and
/// `visage embed` read them.
///
/// A photo that cannot be decoded is recorded with its error instead of faces, so one bad file neither stops a
/// folder nor disappears from the record.
public struct PhotoDetections: Codable, Sendable, Equatable {
    /// One photo's result.
    public struct Photo: Codable, Sendable, Equatable {
        /// The photo's name in the list (see ``PhotoList``).
        public var name: String
        /// Its path when it was read.
        public var path: String
        public var width: Int?
        public var height: Int?
        /// The faces, largest first; empty when none was found.
        public var faces: [FaceFinder.Face]
        /// Why the photo was skipped, when it was.
        public var error: String?
    }

    /// The detector and landmark model, by catalogue name and weights digest.
    public var detector: String
    public var landmarks: String
    public var upsample: Int
    public var photos: [Photo]

    /// Finds the faces in every photo of `list`.
    public static func detect(_ list: PhotoList, finder: FaceFinder, showProgress: Bool = true) throws -> PhotoDetections {
        let progress = ProgressBar("detect", total: list.photos.count, unit: "photo", enabled: showProgress)
        defer { progress.finish() }
        var photos: [Photo] = []
        for photo in list.photos {
            var record = Photo(name: photo.name, path: photo.url.path, faces: [])
            do {
                let image = try ImageCodec.decode(contentsOf: photo.url)
                record.width = image.width
                record.height = image.height
                record.faces = try finder.faces(in: image)
            } catch let error as ImageError {
                record.error = "\(error)"
            }
            photos.append(record)
            progress.advance()
        }
        return PhotoDetections(detector: EngineCatalogue.mmodFaceDetector.stamp,
                               landmarks: EngineCatalogue.shapePredictor5.stamp, upsample: finder.upsample,
                               photos: photos)
    }

    /// Photos without a face.
    public var photosWithoutFaces: [Photo] { photos.filter { $0.error == nil && $0.faces.isEmpty } }
    /// Photos that could not be read.
    public var skipped: [Photo] { photos.filter { $0.error != nil } }

    /// One line per photo that was skipped or has no face, for a command's standard error.
    public var problems: [String] {
        skipped.map { "skipped \($0.name): \($0.error!)" } + photosWithoutFaces.map { "no face found in \($0.name)" }
    }

    /// Writes the detections as JSON, atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    /// Reads detections written by ``write(to:)``.
    /// - Throws: ``DataFileError`` naming the file when it cannot be read or is not a detections file.
    public init(contentsOf url: URL) throws {
        let data = try DataFileError.contents(of: url)
        do { self = try JSONDecoder().decode(Self.self, from: data) } catch {
            throw DataFileError(url, "is not a faces file written by `visage detect`: \(error)")
        }
    }

    public init(detector: String, landmarks: String, upsample: Int, photos: [Photo]) {
        self.detector = detector
        self.landmarks = landmarks
        self.upsample = upsample
        self.photos = photos
    }
}

/// The faces of ``PhotoDetections`` as a ``FaceSource``, each cut from its photo the way a ``FaceCrop`` wants:
/// every face, or only the largest of each photo. Samples are named after their photo, with `#k` appended
/// (k from 0, largest first) when every face is taken.
public struct DetectedFaceSource: FaceSource {
    /// Where sample i comes from.
    public let faces: [(photo: PhotoDetections.Photo, index: Int)]
    public let crop: FaceCrop
    public let everyFace: Bool

    public init(_ detections: PhotoDetections, crop: FaceCrop, everyFace: Bool) {
        faces = detections.photos.flatMap { photo in
            photo.faces.indices.prefix(everyFace ? photo.faces.count : 1).map { (photo, $0) }
        }
        self.crop = crop
        self.everyFace = everyFace
    }

    public var count: Int { faces.count }
    public func label(at index: Int) -> Int { 0 }
    public func name(at index: Int) -> String {
        everyFace ? "\(faces[index].photo.name)#\(faces[index].index)" : faces[index].photo.name
    }

    public func image(at index: Int) throws -> Image {
        let (photo, face) = faces[index]
        let image = try ImageCodec.decode(contentsOf: URL(fileURLWithPath: photo.path))
        do {
            return try crop.cut(image.channels == 3 ? image : image.converted(toChannels: 3),
                                dlibPoints: photo.faces[face].landmarks)
        } catch {
            throw DataError.invalidImage(name(at: index), "cannot be cut as a \(crop): \(error)")
        }
    }
}
