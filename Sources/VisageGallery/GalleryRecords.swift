import Foundation
import Visage

/// Where a stored template comes from.
public enum TemplateProvenance: Sendable, Equatable {
    /// Embedded by its engine from the face's photo.
    case extracted
    /// Mapped from another engine's template by a cross-model transformer: the transformer's file and the
    /// engine it reads, and the transformer's measured top-1 identification accuracy when it is known.
    case transformed(transformer: String, from: String, top1: Double?)
}

/// One face to store: where it is in its photo and its template.
public struct GalleryFace: Sendable, Equatable {
    public var box: FaceBox
    /// The detector's confidence (for an aligned crop enrolled without detection: 0).
    public var score: Double
    /// dlib's five landmarks in the photo's pixels.
    public var landmarks: [SIMD2<Double>]
    /// The L2-normalized template.
    public var template: [Float]

    public init(box: FaceBox, score: Double, landmarks: [SIMD2<Double>], template: [Float]) {
        self.box = box
        self.score = score
        self.landmarks = landmarks
        self.template = template
    }
}

/// One photo to store with its faces, in one transaction.
public struct PhotoEnrollment: Sendable {
    /// SHA-256 of the file's bytes: a photo already stored under this digest is not stored again.
    public var sha256: String
    public var path: String
    public var width: Int
    public var height: Int
    /// Whether the photo is an ArcFace-aligned crop enrolled without detection.
    public var aligned: Bool
    /// The file's bytes when the gallery keeps photos.
    public var bytes: Data?
    /// Whom the photo's largest face shows; nil leaves every face unassigned.
    public var person: String?
    /// The faces, largest first; may be empty (the photo is then recorded as faceless).
    public var faces: [GalleryFace]

    public init(sha256: String, path: String, width: Int, height: Int, aligned: Bool, bytes: Data?, person: String?,
                faces: [GalleryFace]) {
        self.sha256 = sha256
        self.path = path
        self.width = width
        self.height = height
        self.aligned = aligned
        self.bytes = bytes
        self.person = person
        self.faces = faces
    }
}

/// A stored template with its face and person, as searches and clustering read them.
public struct StoredTemplate: Sendable, Equatable {
    public var face: Int64
    public var person: Int64?
    public var vector: [Float]

    public init(face: Int64, person: Int64?, vector: [Float]) {
        self.face = face
        self.person = person
        self.vector = vector
    }
}

/// A person with the number of faces assigned to them.
public struct GalleryPerson: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var faces: Int
}

/// A stored face with what re-extraction needs: its photo's path, digest, kept bytes and landmarks.
public struct StoredFace: Sendable {
    public var id: Int64
    public var photo: Int64
    public var path: String
    public var sha256: String
    public var aligned: Bool
    public var bytes: Data?
    public var landmarks: [SIMD2<Double>]
}

/// One entry of the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var time: String
    public var action: String
    public var detail: String
}

extension Array where Element == Float {
    /// The floats as little-endian float32 bytes, as templates are stored.
    var blob: Data {
        var data = Data(capacity: count * 4)
        for value in self { Swift.withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Floats from a blob written by ``blob``.
    init(blob: Data) {
        let count = blob.count / 4
        self = blob.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
