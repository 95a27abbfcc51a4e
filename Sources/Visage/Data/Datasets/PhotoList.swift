import Foundation

/// Photos named on a command line: image files, and folders searched recursively for images.
///
/// Each photo keeps a name — its path relative to the folder it was found in (prefixed by that folder's own
/// name), or its file name for a file named directly — by which outputs refer to it; names never climb out of
/// a folder (no `..`), so outputs named after them stay inside an output folder. A folder reached twice through
/// symbolic links (a cycle, or two links to one folder) is listed once.
public struct PhotoList: Sendable {
    /// One photo.
    public struct Photo: Sendable, Equatable {
        public var url: URL
        public var name: String
    }

    /// The photos, in the order given, each folder's sorted by name.
    public let photos: [Photo]

    /// Lists `paths`.
    /// - Throws: ``DataFileError`` for a path that does not exist, or when no image is found.
    public init(_ paths: [String]) throws {
        var photos: [Photo] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw DataFileError(url, "no such file or folder")
            }
            if isDirectory.boolValue {
                let prefix = url.standardizedFileURL.lastPathComponent
                photos += ImageFolder.imagePaths(below: url).map {
                    Photo(url: url.appendingPathComponent($0), name: prefix.isEmpty ? $0 : prefix + "/" + $0)
                }
            } else {
                photos.append(Photo(url: url, name: url.lastPathComponent))
            }
        }
        guard !photos.isEmpty else {
            throw DataFileError(file: paths.joined(separator: ", "), message: "holds no image ("
                + ImageFolder.imageExtensions.sorted().joined(separator: ", ") + ")")
        }
        self.photos = photos
    }
}
