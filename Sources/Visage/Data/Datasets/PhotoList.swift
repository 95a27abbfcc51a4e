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
        var visited = Set<String>()
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw DataFileError(url, "no such file or folder")
            }
            if isDirectory.boolValue {
                let prefix = url.standardizedFileURL.lastPathComponent
                photos += Self.images(in: url, prefix: prefix.isEmpty ? "" : prefix + "/", visited: &visited)
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

    private static func images(in folder: URL, prefix: String, visited: inout Set<String>) -> [Photo] {
        let real = folder.resolvingSymlinksInPath().path
        guard visited.insert(real).inserted,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var photos: [Photo] = []
        for entry in entries.filter({ !$0.hasPrefix(".") }).sorted() {
            let url = folder.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                photos += images(in: url, prefix: prefix + entry + "/", visited: &visited)
            } else if ImageFolder.isImage(url) {
                photos.append(Photo(url: url, name: prefix + entry))
            }
        }
        return photos
    }
}
