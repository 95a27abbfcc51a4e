import Foundation
import Visage

/// A stored face with where it lies in its photo, and the photo's bytes when the gallery kept them.
public struct FacePhoto: Sendable {
    public var face: Int64
    public var box: FaceBox
    public var path: String
    /// The photo's bytes; nil when the gallery does not keep photos.
    public var bytes: Data?
}

/// A face of a person, for listings.
public struct PersonFace: Sendable, Equatable {
    public var face: Int64
    /// The path (or upload name) of the face's photo.
    public var path: String
    /// Whether the photo's bytes are kept, so that the face can be shown.
    public var kept: Bool
}

extension GalleryStore {
    /// The face `id` with its box and its photo's kept bytes; nil when there is no such face.
    public func facePhoto(_ id: Int64) throws -> FacePhoto? {
        try read { db in
            try db.fetch("""
                SELECT face.boxLeft, face.boxTop, face.boxRight, face.boxBottom, photo.path, photo.bytes
                FROM face JOIN photo ON photo.id = face.photo WHERE face.id = ?
                """, id).first.map {
                FacePhoto(face: id, box: FaceBox(left: try $0["boxLeft"], top: try $0["boxTop"],
                                                 right: try $0["boxRight"], bottom: try $0["boxBottom"]),
                          path: try $0["path"], bytes: try $0["bytes"])
            }
        }
    }

    /// The faces assigned to the person `name`, in id order.
    /// - Throws: ``GalleryError`` when there is no such person.
    public func faces(of name: String) throws -> [PersonFace] {
        try read { db in
            let person = try requirePerson(name, db)
            return try db.fetch("""
                SELECT face.id, photo.path, photo.bytes IS NOT NULL AS kept FROM face JOIN photo ON photo.id = face.photo
                WHERE face.person = ? ORDER BY face.id
                """, person).map { PersonFace(face: try $0["id"], path: try $0["path"], kept: try $0["kept"]) }
        }
    }
}
