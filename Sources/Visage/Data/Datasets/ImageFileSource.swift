import Foundation

/// Image files named one by one, relative to a root folder, as a ``FaceSource``: the images a pair list uses,
/// or any hand-picked set.
public struct ImageFileSource: FaceSource {
    /// The folder the paths are relative to.
    public let root: URL
    /// Each image's path relative to ``root`` (`identity/file.jpg`), which is also its name.
    public let paths: [String]
    /// Each image's label; all 0 when none were given.
    public let labels: [Int]

    /// A source of `paths` under `root`, labelled `labels` (one per path) or all 0.
    public init(root: URL, paths: [String], labels: [Int]? = nil) throws {
        if let labels, labels.count != paths.count {
            throw DataError.invalidArgument("\(paths.count) image paths but \(labels.count) labels")
        }
        self.root = root.standardizedFileURL
        self.paths = paths
        self.labels = labels ?? Array(repeating: 0, count: paths.count)
    }

    /// The distinct images that `pairs` uses, found under `root`, in order of first use; each identity folder
    /// gets its own label.
    /// - Throws: the pair list's error naming the line of a pair whose image is not on disk.
    public init(imagesOf pairs: PairList, root: URL) throws {
        try self.init(imagesOf: [pairs], root: root)
    }

    /// The distinct images that any of `lists` uses (a test list and the list its threshold is chosen on), found
    /// under `root`, in order of first use; each identity folder gets its own label.
    /// - Throws: a pair list's error naming the line of a pair whose image is not on disk.
    public init(imagesOf lists: [PairList], root: URL) throws {
        let base = root.standardizedFileURL.path
        var seen = Set<String>(), paths: [String] = [], labels: [Int] = [], identities: [String: Int] = [:]
        for pair in try lists.flatMap({ try $0.resolve(against: root) }) {
            for url in [pair.first, pair.second] {
                let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
                guard seen.insert(path).inserted else { continue }
                let identity = String(path.split(separator: "/").first ?? "")
                let label = identities[identity] ?? identities.count
                identities[identity] = label
                paths.append(path)
                labels.append(label)
            }
        }
        try self.init(root: root, paths: paths, labels: labels)
    }

    public var count: Int { paths.count }

    public func label(at index: Int) -> Int { labels[index] }

    public func name(at index: Int) -> String { paths[index] }

    public func image(at index: Int) throws -> Image {
        try ImageCodec.decode(contentsOf: root.appendingPathComponent(paths[index]))
    }
}
