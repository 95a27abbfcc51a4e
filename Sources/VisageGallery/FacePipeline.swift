import Foundation
import Visage

/// Photo bytes → faces with templates: the pipeline of `visage embed --photos` (``FaceFinder`` for boxes and
/// landmarks, the engine's ``FaceCrop``, an ``Embedder``), on decoded images held in memory so that a photo is
/// read once; or, for ArcFace-aligned crops, the crop as the one face (the template's landmarks, no detection).
public final class FacePipeline {
    public let model: FaceModel
    /// The detector; nil when only aligned crops are processed.
    public let finder: FaceFinder?
    let embedder: Embedder

    public init(model: FaceModel, finder: FaceFinder?, batchSize: Int = 32) throws {
        self.model = model
        self.finder = finder
        embedder = try model.embedder(batchSize: batchSize, workers: 1)
    }

    /// A decoded photo and where its faces are, largest first.
    public struct Located {
        public var image: Image
        public var faces: [Face]
        public var aligned: Bool

        public init(image: Image, faces: [Face], aligned: Bool) {
            self.image = image
            self.faces = faces
            self.aligned = aligned
        }
    }

    /// Where a face is: the detector's box and confidence (0 for an aligned crop) and dlib's five landmarks.
    public struct Face {
        public var box: FaceBox
        public var score: Double
        public var landmarks: [SIMD2<Double>]

        public init(box: FaceBox, score: Double, landmarks: [SIMD2<Double>]) {
            self.box = box
            self.score = score
            self.landmarks = landmarks
        }
    }

    /// Decodes `bytes` as a 3-channel image.
    /// - Throws: ``ImageError`` naming the file when it is not a readable image.
    public static func decode(_ bytes: [UInt8], name: String) throws -> Image {
        let decoded = try ImageCodec.decode(bytes, name: name)
        return decoded.channels == 3 ? decoded : decoded.converted(toChannels: 3)
    }

    /// Decodes `bytes` (named `name` in errors) and finds its faces, largest first: by detection, or for an
    /// aligned crop the crop itself with the ArcFace template's landmarks.
    /// - Throws: ``ImageError`` naming the file when it is not a readable image.
    public func locate(_ bytes: [UInt8], name: String, aligned: Bool) throws -> Located {
        let image = try Self.decode(bytes, name: name)
        if aligned {
            let scale = Double(image.width) / 112
            let face = Face(box: FaceBox(left: 0, top: 0, right: image.width - 1, bottom: image.height - 1),
                                       score: 0, landmarks: DlibFivePointAlignment.arcFace112.map { $0 * scale })
            return Located(image: image, faces: [face], aligned: true)
        }
        guard let finder else { preconditionFailure("FacePipeline: detection asked of a pipeline built without a finder") }
        let faces = try finder.faces(in: image).map { Face(box: $0.box, score: $0.score, landmarks: $0.landmarks) }
        return Located(image: image, faces: faces, aligned: false)
    }

    /// The crop of one face as the engine wants it.
    func crop(_ located: Located, face: Int, name: String) throws -> Image {
        do {
            return located.aligned
                ? try model.crop.cut(aligned: located.image)
                : try model.crop.cut(located.image, dlibPoints: located.faces[face].landmarks)
        } catch {
            throw GalleryError("\(name): face \(face) cannot be cut as a \(model.crop): \(error)")
        }
    }

    /// The templates of every face of every photo, embedded in batches: `result[p][f]` for face `f` of photo `p`.
    public func templates(_ photos: [(located: Located, name: String)]) throws -> [[[Float]]] {
        var crops: [Image] = [], names: [String] = []
        for (located, name) in photos {
            for face in located.faces.indices {
                crops.append(try crop(located, face: face, name: name))
                names.append("\(name)#\(face)")
            }
        }
        guard !crops.isEmpty else { return photos.map { _ in [] } }
        let matrix = try embedder.embed(CropSource(images: crops, names: names), showProgress: false)
        var row = 0
        return photos.map { photo in
            photo.located.faces.indices.map { _ in
                defer { row += 1 }
                return Array(matrix.row(row))
            }
        }
    }
}

/// Face crops held in memory, as a ``FaceSource`` for the ``Embedder``.
struct CropSource: FaceSource {
    let images: [Image]
    let names: [String]
    var count: Int { images.count }
    func label(at index: Int) -> Int { 0 }
    func name(at index: Int) -> String { names[index] }
    func image(at index: Int) throws -> Image { images[index] }
}
