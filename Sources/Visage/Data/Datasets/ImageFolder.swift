import Foundation

/// A data set laid out as one sub-folder per identity (`root/<identity>/<image>`), like torchvision's ImageFolder.
///
/// Identities are the sub-folders that hold at least one image (files ending in jpg, jpeg, png, pgm or ppm, in
/// any letter case, found at any depth below the identity folder); hidden files and folders are skipped, as are
/// files directly in `root`. Identities and the images within each are sorted by the UTF-8 bytes of their names
/// (Python's `sorted` order), so labels and sample order are the same on every machine.
public struct ImageFolder: Sendable {
    /// One image of the data set.
    public struct Sample: Sendable, Equatable, Hashable {
        /// The image file.
        public var url: URL
        /// The path below the root, e.g. `s1/1.png`.
        public var relativePath: String
        /// The identity's index in ``ImageFolder/classNames``.
        public var label: Int
        /// The identity's folder name.
        public var identity: String
    }

    /// File extensions (lower case) recognised as images.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "pgm", "ppm"]

    /// The folder the data set was read from.
    public let root: URL
    /// Identity names; a sample's label indexes this array.
    public let classNames: [String]
    /// Every image, grouped by identity in label order.
    public let samples: [Sample]
    /// Sub-folders that hold no image and so are not identities, sorted.
    public let emptyFolders: [String]

    /// Scans `root`.
    /// - Throws: ``DataFileError`` when `root` is not a readable folder or holds no identity with an image.
    public init(root: URL) throws {
        let root = root.standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataFileError(root, "no such folder")
        }
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: root.path)
        } catch {
            throw DataFileError(root, "cannot list the folder: \(error.localizedDescription)")
        }
        var classNames: [String] = []
        var samples: [Sample] = []
        var emptyFolders: [String] = []
        for name in entries.filter({ !$0.hasPrefix(".") }).sorted(by: Self.precedes) {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let images = Self.images(in: folder)
            guard !images.isEmpty else {
                emptyFolders.append(name)
                continue
            }
            let label = classNames.count
            classNames.append(name)
            for path in images {
                samples.append(Sample(
                    url: folder.appendingPathComponent(path), relativePath: name + "/" + path, label: label,
                    identity: name))
            }
        }
        guard !samples.isEmpty else {
            throw DataFileError(root, "no images found: expected one sub-folder per identity holding "
                + Self.imageExtensions.sorted().joined(separator: "/") + " files")
        }
        self.init(root: root, classNames: classNames, samples: samples, emptyFolders: emptyFolders)
    }

    init(root: URL, classNames: [String], samples: [Sample], emptyFolders: [String] = []) {
        self.root = root
        self.classNames = classNames
        self.samples = samples
        self.emptyFolders = emptyFolders
    }

    /// Number of identities.
    public var classCount: Int { classNames.count }

    /// Whether `url`'s extension marks it as an image.
    public static func isImage(_ url: URL) -> Bool {
        imageExtensions.contains(url.pathExtension.lowercased())
    }

    /// The samples of the identity called `name` (empty when there is none).
    public func samples(ofIdentity name: String) -> ArraySlice<Sample> {
        guard let label = classNames.firstIndex(of: name) else { return [] }
        let start = samples.firstIndex { $0.label == label } ?? samples.endIndex
        let end = samples[start...].firstIndex { $0.label != label } ?? samples.endIndex
        return samples[start..<end]
    }

    /// The data set restricted to the identities named in `identities`, relabelled 0..<k in this folder's order.
    /// - Throws: ``DataError/invalidArgument(_:)`` naming the identities this folder does not have.
    public func subset(identities: some Sequence<String>) throws -> ImageFolder {
        let wanted = Set(identities)
        let unknown = wanted.subtracting(classNames)
        guard unknown.isEmpty else {
            throw DataError.invalidArgument(
                "\(root.path) has no identity \(unknown.sorted(by: Self.precedes).prefix(5).joined(separator: ", "))"
                    + (unknown.count > 5 ? " (and \(unknown.count - 5) more)" : ""))
        }
        var newLabel: [Int: Int] = [:]
        var names: [String] = []
        for (label, name) in classNames.enumerated() where wanted.contains(name) {
            newLabel[label] = names.count
            names.append(name)
        }
        let kept = samples.compactMap { sample -> Sample? in
            guard let label = newLabel[sample.label] else { return nil }
            var copy = sample
            copy.label = label
            return copy
        }
        return ImageFolder(root: root, classNames: names, samples: kept)
    }

    /// Image paths below `folder`, relative to it, sorted.
    private static func images(in folder: URL) -> [String] {
        imagePaths(below: folder)
    }

    /// The images below `folder` (hidden entries skipped), as paths relative to it in byte order. Folders are
    /// followed through symbolic links, each real folder once, so a link cycle neither repeats images nor hangs.
    static func imagePaths(below folder: URL) -> [String] {
        var paths: [String] = []
        var visited: Set<String> = []
        collectImages(in: folder.path, prefix: "", into: &paths, visited: &visited)
        return paths.sorted(by: precedes)
    }

    /// Adds the images below `path` to `paths`, prefixed with `prefix`, descending into sub-folders not yet visited.
    private static func collectImages(in path: String, prefix: String, into paths: inout [String],
                                      visited: inout Set<String>) {
        let manager = FileManager.default
        guard visited.insert(URL(fileURLWithPath: path).resolvingSymlinksInPath().path).inserted,
              let entries = try? manager.contentsOfDirectory(atPath: path) else { return }
        for name in entries where !name.hasPrefix(".") {
            let full = path + "/" + name
            if imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    paths.append(prefix + name)
                }
            } else {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                    collectImages(in: full, prefix: prefix + name + "/", into: &paths, visited: &visited)
                }
            }
        }
    }

    /// Byte-wise UTF-8 order, which is code-point order and does not depend on locale or Unicode version.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
