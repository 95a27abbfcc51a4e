import Foundation
import Visage

/// A face of a probe photo with its template, for identification and verification.
public struct ProbeFace: Sendable {
    public var photo: String
    /// 0 for the photo's largest face, then by size.
    public var rank: Int
    public var box: FaceBox
    public var template: [Float]

    public init(photo: String, rank: Int, box: FaceBox, template: [Float]) {
        self.photo = photo
        self.rank = rank
        self.box = box
        self.template = template
    }
}

extension FacePipeline {
    /// The faces of `photos` with their templates (every face, or only each photo's largest), and a line for each
    /// photo that could not be read or shows no face.
    public func probes(_ photos: PhotoList, aligned: Bool, everyFace: Bool, showProgress: Bool = true) throws
        -> (faces: [ProbeFace], problems: [String])
    {
        var faces: [ProbeFace] = [], problems: [String] = []
        let progress = ProgressBar("probe", total: photos.photos.count, unit: "photo", enabled: showProgress)
        defer { progress.finish() }
        for start in stride(from: 0, to: photos.photos.count, by: 16) {
            var chunk: [(located: Located, name: String)] = []
            for photo in photos.photos[start..<min(start + 16, photos.photos.count)] {
                do {
                    let bytes = [UInt8](try DataFileError.contents(of: photo.url))
                    guard !bytes.isEmpty else { throw GalleryError("\(photo.url.path): the file is empty") }
                    var located = try locate(bytes, name: photo.url.path, aligned: aligned)
                    if !everyFace { located.faces = Array(located.faces.prefix(1)) }
                    if located.faces.isEmpty { problems.append("no face found in \(photo.url.path)") }
                    chunk.append((located, photo.url.path))
                } catch let error as ImageError {
                    problems.append("skipped \(error)")
                } catch let error as DataFileError {
                    problems.append("skipped \(error)")
                } catch let error as GalleryError {
                    problems.append("skipped \(error)")
                }
            }
            for (item, vectors) in zip(chunk, try templates(chunk)) {
                for (rank, vector) in vectors.enumerated() {
                    faces.append(ProbeFace(photo: item.name, rank: rank, box: item.located.faces[rank].box, template: vector))
                }
            }
            progress.advance(by: min(16, photos.photos.count - start))
        }
        return (faces, problems)
    }
}
